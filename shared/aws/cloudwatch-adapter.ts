import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type CloudWatchClient,
  type DescribeAlarmsCommandOutput,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmSpec } from '../core/plan-alarms.ts';
import type { AlarmPort, ObservedAlarm } from '../ports.ts';

/**
 * AlarmPort on the AWS SDK (DescribeAlarms and DeleteAlarms take at most 100 names a call);
 * retries are the client's own (retry-strategy.ts).
 */
export class CloudWatchAdapter implements AlarmPort {
  constructor(private readonly client: Pick<CloudWatchClient, 'send'>) {}

  async describe(names: readonly string[]): Promise<Map<string, ObservedAlarm>> {
    const found = new Map<string, ObservedAlarm>();
    for (let i = 0; i < names.length; i += 100) {
      for (const alarm of await this.pages({ AlarmNames: names.slice(i, i + 100) }))
        found.set(alarm.AlarmName, alarm);
    }
    return found;
  }

  listByPrefix(prefix: string): Promise<ObservedAlarm[]> {
    return this.pages({ AlarmNamePrefix: prefix });
  }

  async put(spec: AlarmSpec, tags: Record<string, string>): Promise<void> {
    await this.client.send(
      new PutMetricAlarmCommand({
        ...spec,
        Dimensions: [...spec.Dimensions],
        // EventBridge sees state changes without actions; the alarm notifies no one by itself.
        ActionsEnabled: false,
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  }

  async delete(names: readonly string[]): Promise<void> {
    for (let i = 0; i < names.length; i += 100) {
      await this.client.send(new DeleteAlarmsCommand({ AlarmNames: names.slice(i, i + 100) }));
    }
  }

  private async pages(filter: { AlarmNames?: string[]; AlarmNamePrefix?: string }): Promise<ObservedAlarm[]> {
    const alarms: ObservedAlarm[] = [];
    let token: string | undefined;
    do {
      const page: DescribeAlarmsCommandOutput = await this.client.send(
        new DescribeAlarmsCommand({
          ...filter,
          AlarmTypes: ['MetricAlarm'],
          // The documented most a page (1 to 100); the default is not documented.
          MaxRecords: 100,
          ...(token ? { NextToken: token } : {}),
        }),
      );
      alarms.push(...(page.MetricAlarms ?? []).map(observedAlarm));
      token = page.NextToken;
    } while (token);
    return alarms;
  }
}

function observedAlarm(alarm: MetricAlarm): ObservedAlarm {
  return alarm as ObservedAlarm;
}
