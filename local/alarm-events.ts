import type { AlarmStateChange } from './cloudwatch-stand-in.ts';

/** The EventBridge event CloudWatch sends for an alarm state change, as local mode delivers it. */
export function alarmStateChangeEvent(change: AlarmStateChange): Record<string, unknown> {
  const time = change.at.toISOString();
  return {
    version: '0',
    id: `${change.alarm.AlarmName ?? ''}@${time}`,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '000000000000',
    time,
    region: 'us-east-1',
    resources: [change.alarm.AlarmArn],
    detail: {
      alarmName: change.alarm.AlarmName,
      state: { value: change.state, reason: change.reason, timestamp: time },
      previousState: { value: change.previousState },
      configuration: {
        description: change.alarm.AlarmDescription,
        metrics: [
          {
            id: 'm1',
            metricStat: {
              metric: {
                namespace: change.alarm.Namespace,
                name: change.alarm.MetricName,
                dimensions: Object.fromEntries(
                  (change.alarm.Dimensions ?? []).map((d): [string, string] => [d.Name ?? '', d.Value ?? '']),
                ),
              },
              period: change.alarm.Period,
              stat: change.alarm.Statistic,
            },
            returnData: true,
          },
        ],
      },
    },
  };
}
