import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, MathExpression, TextWidget, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE } from '../../shared/core/serving-metric.ts';

/** What the dashboard graphs. */
export interface ChainsDashboardProps {
  readonly functions: { readonly stream: IFunction; readonly alarm: IFunction; readonly resync: IFunction };
  readonly deadLetterQueues: readonly IQueue[];
  readonly iteratorAge: IMetric;
}

/** One dashboard: which tier served when, flips, reconcile outcomes, stream lag, parked events. */
export class ChainsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ChainsDashboardProps) {
    super(scope, id);
    const period = Duration.minutes(1);
    const search = (metric: string, stat: string) =>
      new MathExpression({
        expression: `SEARCH('{${METRIC_NAMESPACE},Chain} MetricName="${metric}"', '${stat}', 60)`,
        usingMetrics: {},
        period,
      });
    const fns = Object.entries(props.functions);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      widgets: [
        [
          new TextWidget({
            markdown:
              '# failover-chains\nServing tier per chain: 0 is the first tier, 1 the second, and so on.',
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'Serving tier per chain',
            left: [search('ServingTierIndex', 'Maximum')],
            width: 12,
          }),
          new GraphWidget({ title: 'Serving-tier changes', left: [search('Flips', 'Sum')], width: 12 }),
        ],
        [
          new GraphWidget({
            title: 'Reconciles (invocations)',
            left: fns.map(([name, fn]) => fn.metricInvocations({ label: name, period: Duration.minutes(5) })),
            width: 8,
          }),
          new GraphWidget({
            title: 'Reconcile errors',
            left: fns.map(([name, fn]) => fn.metricErrors({ label: name, period: Duration.minutes(5) })),
            width: 8,
          }),
          new GraphWidget({ title: 'Stream iterator age (ms)', left: [props.iteratorAge], width: 8 }),
        ],
        [
          new GraphWidget({
            title: 'Parked events (DLQ depth)',
            left: props.deadLetterQueues.map((queue) =>
              queue.metricApproximateNumberOfMessagesVisible({ label: queue.node.id }),
            ),
            width: 24,
          }),
        ],
      ],
    });
  }
}
