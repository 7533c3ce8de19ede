import * as z from 'zod/mini';
import { parseAlarmName } from './plan-alarms.ts';
import { parseSharedAlarm } from './shared-checks.ts';

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
 * The chain and tier of one of this deployment's health-check alarms, from its name or, for long
 * chain names hashed in the name, from the description, which always ends `(chain=<name> tier=<id>)`.
 */
export function alarmTarget(
  owner: string,
  alarmName: string,
  description: string | undefined,
): { chain: string; tier: string } | undefined {
  const fromName = parseAlarmName(owner, alarmName);
  if (fromName) return fromName;
  const fromDescription = /\(chain=(\S+) tier=([a-z0-9-]+)\)$/.exec(description ?? '');
  return fromDescription && alarmName.startsWith(`failover-chains/${owner}/`)
    ? { chain: fromDescription[1]!, tier: fromDescription[2]! }
    : undefined;
}

/** Read an alarm state change event; undefined when it is not one of this deployment's health-check alarms. */
export function parseAlarmEvent(event: unknown, owner: string): AlarmEventTarget | undefined {
  const parsed = alarmEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const { detail, time } = parsed.data;
  const target = alarmTarget(owner, detail.alarmName, detail.configuration?.description);
  if (!target) return undefined;
  return { ...target, state: detail.state.value, time: detail.state.timestamp ?? time };
}

/** A state change of one of this deployment's shared health-check alarms: the check's fingerprint and id. */
export function parseSharedAlarmEvent(
  event: unknown,
  owner: string,
):
  | { fingerprint: string; checkId: string; state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'; time: string }
  | undefined {
  const parsed = alarmEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const { detail, time } = parsed.data;
  const alarm = parseSharedAlarm(owner, detail.alarmName);
  return alarm === undefined
    ? undefined
    : {
        fingerprint: alarm.fp,
        checkId: alarm.id,
        state: detail.state.value,
        time: detail.state.timestamp ?? time,
      };
}

const eventIdSchema = z.object({ id: z.string().check(z.minLength(1)) });

/**
 * An event's EventBridge id, generated for each event: a retried delivery of the event carries it
 * again, any other event has another (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html).
 */
export function eventIdOf(event: unknown): string | undefined {
  const parsed = eventIdSchema.safeParse(event);
  return parsed.success ? parsed.data.id : undefined;
}
