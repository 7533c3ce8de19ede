import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import {
  ChangeResourceRecordSetsCommand,
  CreateHealthCheckCommand,
  DeleteHealthCheckCommand,
  type Change,
} from '@aws-sdk/client-route-53';
import { main } from '../../cli/main.ts';
import { makeBuilderHandler } from '../../functions/build-chains.ts';
import { makeChainStreamHandler } from '../../functions/chain-stream.ts';
import { makeHealthAlarmHandler } from '../../functions/health-alarm.ts';
import { makeResyncHandler } from '../../functions/resync.ts';
import { alarmStateChangeEvent } from '../../local/alarm-events.ts';
import { drainBuildQueue } from '../../local/builder-runner.ts';
import { FaultPlan, type FaultKind, type Service } from '../../local/faults.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { StreamReader } from '../../local/stream-reader.ts';
import { failback, FailbackRefused } from '../../shared/serving/failback.ts';
import type { ChainStatus } from '../../shared/core/chain-status.ts';
import { makeWorld } from '../fixtures/world.ts';
import { ENDPOINTS, targetOf, ZONE_ID, type RowSpec } from './reference-model.ts';
import { servedBy, type Served } from './route53-view.ts';

/** A fault plan whose faults are armed while the run goes: the next `at` calls from now fail. */
class ArmedFaults extends FaultPlan {
  private armed: { at: number; kind: FaultKind }[] = [];
  fired = 0;

  arm(offset: number, kind: FaultKind): void {
    this.armed.push({ at: this.callCount + offset, kind });
  }

  override attempt(index: number, service: Service, command: string, attempt: number): FaultKind | undefined {
    const planned = attempt === 1 ? this.armed.find((f) => f.at === index) : undefined;
    if (planned) {
      this.armed = this.armed.filter((f) => f !== planned);
      this.fired++;
    }
    // Only the faults are kept: a long history would otherwise hold every call it made.
    return planned?.kind;
  }
}

/** One alert as a subscriber reads it. */
export interface SeenAlert {
  event: string;
  chain: string;
  id: string;
  detail: Record<string, unknown>;
}

const silent = new Logger({ logLevel: 'SILENT' });

/**
 * The whole system as AWS runs it, over the stand-ins and DynamoDB Local: rows reach the stream
 * handler through the table's stream, chains needing checks reach the builder through its FIFO
 * queue, alarm state changes reach the alarm handler as EventBridge events (retried twice on
 * failure, as EventBridge's asynchronous invocation is), the schedule runs the full run, and a
 * person runs `chains failback`. Route 53's checkers are played by `report`.
 */
export class ModelSystem {
  private readonly events: Record<string, unknown>[] = [];
  private seenAlerts = 0;

  private constructor(
    readonly world: LocalWorld,
    private readonly reader: StreamReader,
    readonly faults: ArmedFaults,
    private readonly clock: { now: number },
  ) {}

  static async create(): Promise<ModelSystem> {
    const faults = new ArmedFaults();
    const clock = { now: Date.parse('2026-12-01T00:00:00.000Z') };
    const world = await makeWorld({
      sharedChecks: true,
      clock: () => new Date(clock.now),
      // The flap guard is a documented exception to "one alert per change" (see the test's list):
      // it is kept out of reach here, and every change must be alerted one by one.
      flap: { maxFlips: 1_000_000, windowSeconds: 900 },
      faults,
    });
    const reader = new StreamReader(world.dynamodb, world.streams, world.tables.chains);
    await reader.start();
    const system = new ModelSystem(world, reader, faults, clock);
    world.cloudwatch.onStateChange((change) => system.events.push(alarmStateChangeEvent(change)));
    return system;
  }

  private readonly streamHandler = makeChainStreamHandler(
    () => this.world.deps,
    silent,
    () => this.world.buildQueue,
  );
  private readonly alarmHandler = makeHealthAlarmHandler(
    () => this.world.deps,
    silent,
    () => this.world.buildQueue,
  );
  private readonly builder = makeBuilderHandler(() => this.world.deps, silent);
  private readonly resync = makeResyncHandler(() => this.world.deps, silent, {
    builder: () => this.world.buildQueue,
  });

  /** Time passes. */
  tick(seconds: number): void {
    this.clock.now += seconds * 1000;
  }

  async put(row: Record<string, unknown>): Promise<void> {
    await this.world.chains.put(row);
  }

  async remove(name: string): Promise<void> {
    await this.world.dynamodb.send(
      new DeleteItemCommand({ TableName: this.world.tables.chains, Key: { name: { S: name } } }),
    );
  }

  /** `chains failback NAME`; false when it was refused (nothing held). */
  async failback(name: string): Promise<boolean> {
    try {
      await failback(name, undefined, 'model', this.world.deps);
      return true;
    } catch (error) {
      if (error instanceof FailbackRefused) return false;
      throw error;
    }
  }

  /** The schedule's run; false when it failed (a failed invocation: the next tick is its retry). */
  async fullRun(): Promise<boolean> {
    try {
      await this.resync();
      return true;
    } catch {
      return false;
    }
  }

  /** A person deletes one of the system's health checks in the console. Returns its endpoint index, or undefined. */
  async deleteCheckByHand(pick: number): Promise<number | undefined> {
    // One of the system's checks: a person's own check deleted by hand is theirs to mend.
    const checks = [...this.world.route53.healthChecks.values()].filter((c) =>
      c.tags.has('failover-chains:owner'),
    );
    if (checks.length === 0) return undefined;
    const check = checks[pick % checks.length]!;
    await this.world.route53.send(new DeleteHealthCheckCommand({ HealthCheckId: check.Id }));
    return ENDPOINTS.indexOf(check.HealthCheckConfig.IPAddress as (typeof ENDPOINTS)[number]);
  }

  /**
   * A person builds the chain's failover tree by hand in the console, as before this system: a
   * check of their own per checked tier, then the nested failover pairs under their own names.
   * Returns the spec with the ids of the checks made.
   */
  async buildByHand(spec: RowSpec): Promise<RowSpec> {
    const tiers: RowSpec['tiers'] = [];
    for (const tier of spec.tiers) {
      if (!tier.check) {
        tiers.push(tier);
        continue;
      }
      const made = (await this.world.route53.send(
        new CreateHealthCheckCommand({
          CallerReference: `by-hand-${spec.name}-${tier.id}-${this.clock.now}`,
          HealthCheckConfig: {
            Type: 'HTTP',
            IPAddress: ENDPOINTS[tier.endpoint],
            Port: 80,
            ResourcePath: '/',
            FailureThreshold: tier.threshold,
          },
        }),
      )) as { HealthCheck: { Id: string } };
      tiers.push({ ...tier, checkId: made.HealthCheck.Id });
    }
    const level = (k: number) => (k === 0 ? spec.name : `standby${k}.${spec.name}`);
    const cname = (
      name: string,
      failover: 'PRIMARY' | 'SECONDARY',
      value: string,
      check?: string,
    ): Change => ({
      Action: 'CREATE',
      ResourceRecordSet: {
        Name: `${name}.`,
        Type: 'CNAME',
        SetIdentifier: failover === 'PRIMARY' ? 'Main' : 'Standby',
        Failover: failover,
        TTL: 60,
        ResourceRecords: [{ Value: value }],
        ...(check ? { HealthCheckId: check } : {}),
      },
    });
    const changes = tiers
      .slice(0, -1)
      .flatMap((tier, k) => [
        cname(level(k), 'PRIMARY', targetOf(tier), tier.checkId),
        cname(level(k), 'SECONDARY', k === tiers.length - 2 ? targetOf(tiers.at(-1)!) : level(k + 1)),
      ]);
    await this.world.route53.send(
      new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE_ID, ChangeBatch: { Changes: changes } }),
    );
    return { ...spec, tiers };
  }

  /** `chains import NAME --zone Z --write [--manage-health-checks]`; resolves with its exit code and output. */
  async import(name: string, manage: boolean): Promise<{ code: number; output: string }> {
    let output = '';
    const io = { out: (t: string) => (output += t), err: (t: string) => (output += t) };
    const code = await main(
      ['import', name, '--zone', ZONE_ID, '--write', ...(manage ? ['--manage-health-checks'] : [])],
      io,
      { deps: () => this.world.deps, store: () => this.world.chains },
    );
    return { code, output };
  }

  /**
   * Route 53's checkers report every check's endpoint (a new check gets its first data), and
   * CloudWatch evaluates every alarm on them: a check that is gone leaves its alarm without data.
   */
  report(up: readonly boolean[]): void {
    const route53 = this.world.route53;
    for (const check of route53.healthChecks.values()) {
      const endpoint = ENDPOINTS.indexOf(check.HealthCheckConfig.IPAddress as (typeof ENDPOINTS)[number]);
      if (up[endpoint] ?? true) route53.unhealthy.delete(check.Id);
      else route53.unhealthy.add(check.Id);
    }
    const at = new Date(this.clock.now);
    for (const alarm of [...this.world.cloudwatch.alarms.values()]) {
      const id = alarm.Dimensions?.find((d) => d.Name === 'HealthCheckId')?.Value ?? '';
      const state = !route53.healthChecks.has(id)
        ? 'INSUFFICIENT_DATA'
        : route53.unhealthy.has(id)
          ? 'ALARM'
          : 'OK';
      this.world.cloudwatch.setState(alarm.AlarmName!, state, 'Threshold Crossed', at);
    }
  }

  /**
   * Deliver everything pending until nothing moves: stream records to the stream handler, the
   * build queue to the builder, alarm events to the alarm handler. Bounded; says whether it settled.
   */
  async settle(): Promise<boolean> {
    for (let round = 0; round < 12; round++) {
      const delivered = await this.reader.drain(this.streamHandler);
      const built = await drainBuildQueue(this.world.sqs, this.builder);
      const events = this.events.splice(0);
      for (const event of events) {
        for (let attempt = 0; attempt < 3; attempt++) {
          try {
            await this.alarmHandler(event);
            break;
          } catch {
            // EventBridge invokes the target asynchronously: Lambda retries a failed event twice.
          }
        }
      }
      if (delivered === 0 && built === 0 && events.length === 0 && this.world.sqs.depth === 0) return true;
      this.tick(1);
    }
    return false;
  }

  served(name: string): Served {
    return servedBy(this.world.route53, name);
  }

  status(name: string): Promise<ChainStatus | undefined> {
    return this.world.deps.status.get(name);
  }

  /** Alerts published since the last call. */
  newAlerts(): SeenAlert[] {
    const messages = this.world.sns.published.slice(this.seenAlerts);
    this.seenAlerts = this.world.sns.published.length;
    return messages.map((m) => {
      const doc = m.json as Record<string, unknown>;
      return { event: String(doc.event), chain: String(doc.chain), id: String(doc.id), detail: doc };
    });
  }

  destroy(): void {
    this.world.destroy();
  }
}
