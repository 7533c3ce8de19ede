import * as z from 'zod/mini';
import { parseAlarmName } from './plan-alarms.ts';

// The parts of EventBridge's "CloudWatch Alarm State Change" event the alarm handler uses.
const alarmEventSchema = z.object({
  source: z.literal('aws.cloudwatch'),
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  time: z.string(),
  detail: z.object({
    alarmName: z.string(),
    state: z.object({
      value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
      timestamp: z.optional(z.string()),
    }),
    previousState: z.optional(z.object({ value: z.string() })),
    configuration: z.optional(z.object({ description: z.optional(z.string()) })),
  }),
});

/** The chain and tier an alarm event is about, and the new state. */
export interface AlarmEventTarget {
  chain: string;
  tier: string;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  time: string;
}

/**
 * Read an alarm state change event; undefined when it is not one of this deployment's
 * health-check alarms. Long chain names are hashed in alarm names, so the description, which
 * always carries `(chain=<name> tier=<id>)`, is the fallback.
 */
export function parseAlarmEvent(event: unknown, owner: string): AlarmEventTarget | undefined {
  const parsed = alarmEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const { detail, time } = parsed.data;
  const fromName = parseAlarmName(owner, detail.alarmName);
  const fromDescription = /\(chain=(\S+) tier=([a-z0-9-]+)\)$/.exec(detail.configuration?.description ?? '');
  const target =
    fromName ??
    (fromDescription && detail.alarmName.startsWith(`failover-chains/${owner}/`)
      ? { chain: fromDescription[1]!, tier: fromDescription[2]! }
      : undefined);
  if (!target) return undefined;
  return { ...target, state: detail.state.value, time: detail.state.timestamp ?? time };
}
