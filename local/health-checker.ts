import { connect } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { HealthCheckConfig } from '@aws-sdk/client-route-53';
import type { CloudWatchStandIn } from './cloudwatch-stand-in.ts';
import { httpGet } from './http-get.ts';
import type { Route53StandIn } from './route53-stand-in.ts';

/** How fast the local checker works; Route 53's own interval (10 or 30 s) is too slow to rehearse with. */
export interface LocalHealthCheckerOptions {
  intervalMs: number;
  /** Overrides each check's FailureThreshold when set (fast tests). */
  failureThreshold?: number;
  timeoutMs?: number;
  /** Told once per check that targets an address local mode may not probe. */
  onRefused?: (line: string) => void;
}

/** Local mode probes only this machine: a row's public addresses are never contacted from here. */
export function isLoopbackTarget(host: string): boolean {
  if (host === 'localhost') return true;
  return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback';
}

/**
 * Probes the stand-in's health checks the way Route 53's checkers do (HTTP status, string match
 * or TCP connect; a check flips after FailureThreshold consecutive results the other way), marks
 * them healthy or not in the stand-in, and moves the alarms on them as CloudWatch would. A new
 * check has a verdict (GetHealthCheckStatus lists observations) once it has FailureThreshold
 * consecutive results; until then it is healthy, as Route 53 counts a new check.
 */
export class LocalHealthChecker {
  private readonly streaks = new Map<string, { healthy: boolean; count: number }>();
  private readonly refused = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly route53: Route53StandIn,
    private readonly cloudwatch: CloudWatchStandIn,
    private readonly options: LocalHealthCheckerOptions,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.running ??= this.tick().finally(() => (this.running = undefined));
    }, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Probe every check once and publish what changed. */
  async tick(): Promise<void> {
    const checks = [...this.route53.healthChecks.values()];
    await Promise.all(
      checks.map(async (check) => {
        const ok = await this.probe(check.Id, check.HealthCheckConfig);
        const threshold = this.options.failureThreshold ?? check.HealthCheckConfig.FailureThreshold ?? 3;
        const healthy = !this.route53.unhealthy.has(check.Id);
        const streak = this.streaks.get(check.Id);
        const next =
          streak?.healthy === ok ? { healthy: ok, count: streak.count + 1 } : { healthy: ok, count: 1 };
        this.streaks.set(check.Id, next);
        if (next.count >= threshold) {
          // Enough data for a verdict: GetHealthCheckStatus lists observations from now on.
          this.route53.report(check.Id);
          if (ok !== healthy) {
            if (ok) this.route53.unhealthy.delete(check.Id);
            else this.route53.unhealthy.add(check.Id);
          }
        }
        this.publish(check.Id, !this.route53.unhealthy.has(check.Id));
      }),
    );
  }

  private publish(checkId: string, healthy: boolean): void {
    for (const alarm of this.cloudwatch.alarms.values()) {
      if (alarm.Dimensions?.some((d) => d.Name === 'HealthCheckId' && d.Value === checkId)) {
        this.cloudwatch.setState(
          alarm.AlarmName!,
          healthy ? 'OK' : 'ALARM',
          healthy
            ? 'Threshold Crossed: HealthCheckStatus 1 >= 1'
            : 'Threshold Crossed: HealthCheckStatus 0 < 1',
        );
      }
    }
  }

  private probe(id: string, config: HealthCheckConfig): Promise<boolean> {
    const host = config.IPAddress ?? config.FullyQualifiedDomainName ?? '127.0.0.1';
    const port = config.Port ?? 80;
    if (!isLoopbackTarget(host)) {
      if (!this.refused.has(id)) {
        this.refused.add(id);
        this.options.onRefused?.(
          `local mode probes loopback addresses only: health check ${id} targets ${host}, counted as failing (use 127.0.0.x in rows applied locally)`,
        );
      }
      return Promise.resolve(false);
    }
    const timeout = this.options.timeoutMs ?? 1000;
    if (config.Type === 'TCP' || config.Type?.startsWith('HTTPS')) {
      // Local servers speak plain HTTP; an HTTPS check is rehearsed as "the port answers".
      return new Promise((resolve) => {
        const socket = connect({ host, port, timeout }, () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => {
          resolve(false);
        });
        socket.on('timeout', () => {
          socket.destroy();
          resolve(false);
        });
      });
    }
    return httpGet(host, port, config.ResourcePath ?? '/', timeout).then((response) => {
      if (!response || response.status < 200 || response.status >= 400) return false;
      return !config.SearchString || response.body.includes(config.SearchString);
    });
  }
}
