import { OrderedMap } from './ordered-map.ts';
import { tagProblems } from './tag-rules.ts';
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  ResourceNotFound,
  ResourceNotFoundException,
  InvalidParameterValueException,
  TagResourceCommand,
  type Tag,
  type MetricAlarm,
  type PutMetricAlarmCommandInput,
  type StateValue,
} from '@aws-sdk/client-cloudwatch';

const meta = { $metadata: {} };

/** A state change as CloudWatch would send it to EventBridge. */
export interface AlarmStateChange {
  alarm: MetricAlarm;
  previousState: StateValue;
  state: StateValue;
  reason: string;
  at: Date;
}

/**
 * An in-memory CloudWatch for metric alarms: PutMetricAlarm upserts (new alarms start in
 * INSUFFICIENT_DATA; an update keeps the state and sets AlarmConfigurationUpdatedTimestamp), DescribeAlarms pages by 100 with names or a prefix, DeleteAlarms
 * refuses unknown names, PutMetricAlarm and TagResource refuse tags over the length limits. `setState` plays what CloudWatch does when a metric crosses the
 * threshold and tells listeners, the way EventBridge delivers alarm state changes.
 */
export class CloudWatchStandIn {
  /** Alarms by name, kept in name order so DescribeAlarms never sorts them all. */
  readonly alarms = new OrderedMap<MetricAlarm>();
  /** Tags of each alarm, by alarm name. */
  readonly tags = new Map<string, Map<string, string>>();
  readonly calls: string[] = [];
  private readonly listeners: ((change: AlarmStateChange) => void)[] = [];

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Be told of every alarm state change (local mode wires this to the alarm handler). */
  onStateChange(listener: (change: AlarmStateChange) => void): void {
    this.listeners.push(listener);
  }

  /** Write commands received so far. */
  writeCalls(): string[] {
    return this.calls.filter((call) => /^(Put|Delete|Set)/.test(call));
  }

  /** Move an alarm to a state, as CloudWatch does when its metric is evaluated. */
  setState(name: string, state: StateValue, reason: string, at = this.clock()): void {
    const alarm = this.alarms.get(name);
    if (!alarm || alarm.StateValue === state) return;
    const previousState = alarm.StateValue ?? 'INSUFFICIENT_DATA';
    Object.assign(alarm, { StateValue: state, StateReason: reason, StateUpdatedTimestamp: at });
    for (const listener of this.listeners)
      listener({ alarm: structuredClone(alarm), previousState, state, reason, at });
  }

  async send(command: object): Promise<unknown> {
    this.calls.push(command.constructor.name);
    await Promise.resolve();
    if (command instanceof PutMetricAlarmCommand) return this.put(command.input);
    if (command instanceof DescribeAlarmsCommand) {
      const { AlarmNames, AlarmNamePrefix, NextToken } = command.input;
      if ((AlarmNames?.length ?? 0) > 100)
        throw new InvalidParameterValueException({ ...meta, message: 'At most 100 AlarmNames' });
      // Named alarms are looked up, not searched for; either way they come in name order.
      const names = AlarmNames
        ? [...new Set(AlarmNames)].filter((name) => this.alarms.has(name)).sort((a, b) => a.localeCompare(b))
        : this.alarms.orderedKeys();
      const all = names
        .filter((name) => (AlarmNamePrefix ? name.startsWith(AlarmNamePrefix) : true))
        .map((name) => this.alarms.get(name)!);
      const start = Number(NextToken ?? 0);
      const max = Math.min(command.input.MaxRecords ?? 100, 100);
      const page = all.slice(start, start + max);
      return {
        ...meta,
        MetricAlarms: structuredClone(page),
        ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
      };
    }
    if (command instanceof TagResourceCommand) {
      const name = /:alarm:(.+)$/.exec(command.input.ResourceARN ?? '')?.[1] ?? '';
      if (!this.alarms.has(name))
        throw new ResourceNotFoundException({ ...meta, message: `Alarm not found: ${name}` });
      this.tag(name, command.input.Tags ?? []);
      return meta;
    }
    if (command instanceof DeleteAlarmsCommand) {
      const names = command.input.AlarmNames ?? [];
      const missing = names.filter((name) => !this.alarms.has(name));
      if (missing.length > 0)
        throw new ResourceNotFound({ ...meta, message: `Alarms not found: ${missing.join(', ')}` });
      for (const name of names) {
        this.alarms.delete(name);
        this.tags.delete(name);
      }
      return meta;
    }
    throw new Error(`CloudWatchStandIn: ${command.constructor.name} is not supported`);
  }

  private put(input: PutMetricAlarmCommandInput) {
    const name = input.AlarmName ?? '';
    if (name.length < 1 || name.length > 255) {
      throw new InvalidParameterValueException({ ...meta, message: 'AlarmName must be 1 to 255 characters' });
    }
    if (!input.ComparisonOperator || input.EvaluationPeriods === undefined) {
      throw new InvalidParameterValueException({
        ...meta,
        message: 'ComparisonOperator and EvaluationPeriods are required',
      });
    }
    const problems = tagProblems(input.Tags ?? []);
    if (problems.length > 0)
      throw new InvalidParameterValueException({ ...meta, message: problems.join('; ') });
    const previous = this.alarms.get(name);
    const { Tags: tags, ...fields } = input;
    this.alarms.set(name, {
      ...structuredClone(fields),
      AlarmArn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${name}`,
      StateValue: previous?.StateValue ?? 'INSUFFICIENT_DATA',
      StateReason: previous?.StateReason ?? 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: previous?.StateUpdatedTimestamp ?? this.clock(),
      // An update keeps the alarm's state (PutMetricAlarm's documentation) but not this time.
      AlarmConfigurationUpdatedTimestamp: this.clock(),
    });
    // Tags given to PutMetricAlarm apply only when the alarm is created; TagResource changes them later.
    if (!previous) this.tag(name, tags ?? []);
    return meta;
  }

  private tag(name: string, tags: readonly Tag[]): void {
    const problems = tagProblems(tags);
    if (problems.length > 0)
      throw new InvalidParameterValueException({ ...meta, message: problems.join('; ') });
    const current = this.tags.get(name) ?? new Map<string, string>();
    for (const tag of tags) current.set(tag.Key!, tag.Value ?? '');
    this.tags.set(name, current);
  }
}
