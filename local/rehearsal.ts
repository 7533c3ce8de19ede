import { Resolver } from 'node:dns/promises';
import { httpGet } from './http-get.ts';
import type { LocalSystem } from './local-system.ts';
import { localSeedRow } from './local-system.ts';
import type { PublishedMessage } from './sns-stand-in.ts';

const NAME = 'resilient-site.example.com';

/** What one step of the rehearsal saw. */
export interface StepResult {
  step: string;
  ok: boolean;
  seconds: number;
  cnames: string[];
  address?: string;
  response?: string;
  alert?: string;
  /** Seconds from the step's action to the DNS answer (and HTTP response) it expects. */
  dnsSeconds?: number;
  /** Seconds from the step's action to its alert reaching the topic. */
  alertSeconds?: number;
}

/** Settings of a rehearsal. */
export interface RehearsalOptions {
  /** Longest wait for one step (default 30 s). */
  stepTimeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * The seed's test procedure, played on the local system: write the chain row, fetch the site
 * through DNS (server #1), stop #1 (-> #2), stop #2 (-> #3), start both again (-> #1). Each step
 * waits until DNS, the HTTP response and the alert all match.
 */
export async function rehearse(system: LocalSystem, options: RehearsalOptions = {}): Promise<StepResult[]> {
  const log = options.log ?? (() => undefined);
  // Generous: on a loaded machine a lost UDP reply must not read as an empty answer.
  const resolver = new Resolver({ timeout: 2000, tries: 3 });
  resolver.setServers([`${system.dns.address.host}:${system.dns.address.port}`]);
  const [one, two] = system.servers as [LocalSystem['servers'][0], LocalSystem['servers'][0]];
  const results: StepResult[] = [];
  // When each alert reached the topic, to time the alert apart from the DNS answer.
  const arrivals = new Map<PublishedMessage, number>();
  system.world.sns.onPublish((message) => arrivals.set(message, Date.now()));
  log(`\n${localSettings(system)}`);

  const step = async (title: string, act: () => Promise<void>, server: number, alert?: string) => {
    const started = Date.now();
    const alertsBefore = system.alerts.length;
    const since = (at: number) => (at - started) / 1000;
    log(`\n▶ ${title}`);
    await act();
    const deadline = started + (options.stepTimeoutMs ?? 30_000);
    let seen: StepResult = { step: title, ok: false, seconds: 0, cnames: [] };
    for (;;) {
      seen = { ...seen, ...(await observe(resolver, system.tierPort)) };
      const dnsOk = seen.response === `server #${server}`;
      if (dnsOk) seen.dnsSeconds ??= since(Date.now());
      const match = system.alerts
        .slice(alertsBefore)
        .find((a) => alert !== undefined && (a.subject ?? '').endsWith(alert));
      const alertOk = alert === undefined || match !== undefined;
      if (match) {
        seen.alert = match.subject ?? '';
        seen.alertSeconds ??= since(arrivals.get(match) ?? Date.now());
      }
      if (dnsOk && alertOk) {
        seen.ok = true;
        break;
      }
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    seen.seconds = (Date.now() - started) / 1000;
    results.push(seen);
    log(`  DNS    ${[NAME, ...seen.cnames].join(' -> ')} -> ${seen.address ?? 'no answer'}`);
    log(`  HTTP   ${seen.response ?? 'no response'}`);
    if (alert !== undefined) log(`  alert  ${seen.alert ?? `missing: expected one ending "${alert}"`}`);
    log(`  time   ${timing(seen, alert !== undefined)}`);
    log(
      `  ${seen.ok ? '✔' : '✘'} ${seen.ok ? 'matched' : `expected server #${server}`} after ${seen.seconds.toFixed(1)} s`,
    );
  };

  await step(
    'write the chain row (primary -> secondary -> tertiary)',
    async () => {
      await system.world.chains.put(
        localSeedRow(
          system.servers.map((s) => s.host),
          system.tierPort,
        ),
      );
    },
    1,
  );
  await step('stop server #1', () => one.stop(), 2, `${NAME}: primary -> secondary`);
  await step('stop server #2', () => two.stop(), 3, `${NAME}: secondary -> tertiary`);
  await step(
    'start servers #1 and #2 again',
    async () => {
      await one.start();
      await two.start();
    },
    1,
    // Both recover at once, so the chain may return from tertiary directly: any way back to primary.
    '-> primary (recovered)',
  );
  return results;
}

/** The local stand-ins' timing, next to what it stands for in AWS (README, "Latency"). */
function localSettings(system: LocalSystem): string {
  const every = (system.checkIntervalMs / 1000).toFixed(1);
  return [
    `Local timing: health checks every ${every} s, ${String(system.failureThreshold)} failed in a row to flip`,
    '(Route 53: every 10 or 30 s, 1 to 10 in a row); the alarm moves on the flip itself and its event',
    'reaches the alarm handler at once (AWS: a 1-minute metric, the alarm, EventBridge). README "Latency" has the AWS figures.',
  ].join('\n');
}

function timing(seen: StepResult, expectsAlert: boolean): string {
  const dns =
    seen.dnsSeconds === undefined
      ? 'DNS answer not moved'
      : `DNS answer moved after ${seen.dnsSeconds.toFixed(1)} s`;
  if (!expectsAlert) return dns;
  const alert =
    seen.alertSeconds === undefined ? 'no alert' : `alert after ${seen.alertSeconds.toFixed(1)} s`;
  return `${dns}, ${alert}`;
}

async function observe(
  resolver: Resolver,
  port: number,
): Promise<Omit<StepResult, 'step' | 'ok' | 'seconds'>> {
  const cnames: string[] = [];
  try {
    let name = NAME;
    // Follow the chain one CNAME at a time, as a resolver shows it.
    for (let i = 0; i < 8; i++) {
      const [next] = await resolver.resolveCname(name).catch(() => [] as string[]);
      if (!next) break;
      cnames.push(next);
      name = next;
    }
    // The address of the last name seen, not a fresh look-up of the chain's name: an answer that
    // moved between the two look-ups would pair one tier's names with another's server.
    const [address] = await resolver.resolve4(cnames.at(-1) ?? NAME);
    if (!address) return { cnames };
    return { cnames, address, response: await fetchText(address, port) };
  } catch {
    return { cnames };
  }
}

async function fetchText(host: string, port: number): Promise<string | undefined> {
  return (await httpGet(host, port, '/', 500))?.body.trim();
}
