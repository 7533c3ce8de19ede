/** Namespace of the system's own metrics. */
export const METRIC_NAMESPACE = 'FailoverChains';

/**
 * One CloudWatch embedded-metric-format log line: the serving tier's position in the chain (0 is
 * the first tier) per chain, so a graph shows which tier served when; Route 53 has no such metric.
 */
export function servingTierMetric(
  chain: string,
  tier: string,
  index: number,
  at: Date,
  flipped: boolean,
): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [['Chain']],
          Metrics: [
            { Name: 'ServingTierIndex', Unit: 'None' },
            { Name: 'Flips', Unit: 'Count' },
          ],
        },
      ],
    },
    Chain: chain,
    ServingTier: tier,
    ServingTierIndex: index,
    Flips: flipped ? 1 : 0,
  });
}
