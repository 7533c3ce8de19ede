import { ALERT_SCHEMA, type Alert, type Severity } from './alerts.ts';
import { CHAT_CAPS } from './chat-notification-schema.ts';

/** Amazon Q Developer's custom notification (see chat-notification-schema.ts for the rules). */
export interface ChatNotification {
  version: '1.0';
  source: 'custom';
  id?: string;
  content: {
    textType?: 'client-markdown';
    title?: string;
    description: string;
    nextSteps?: string[];
    keywords?: string[];
  };
  metadata?: {
    threadId?: string;
    summary?: string;
    eventType?: string;
    relatedResources?: string[];
    additionalContext?: Record<string, string>;
    enableCustomActions?: boolean;
  };
}

const CAPS = CHAT_CAPS;

const ICON: Record<Severity, string> = {
  critical: ':rotating_light:',
  warning: ':warning:',
  info: ':information_source:',
};

/** Lines of an alert's text that tell a person what to do next rather than what happened. */
const NEXT_STEP = /^(What to check|Status|History|Traffic stays on)\b/;

/**
 * The card a Slack or Teams channel shows for one alert: the subject as title, the readable text
 * as description, its "what to check" lines as next steps, every alert of a chain in one thread,
 * and the alert's JSON fields (id included) as string values in additionalContext.
 */
export function chatNotification(alert: Alert, id: string): ChatNotification {
  const lines = alert.text.split('\n');
  const steps = lines.filter((line) => NEXT_STEP.test(line));
  const body = lines
    .filter((line) => !NEXT_STEP.test(line))
    .join('\n')
    .trim();
  return {
    version: '1.0',
    source: 'custom',
    id,
    content: {
      textType: 'client-markdown',
      title: clip(`${ICON[alert.severity]} ${alert.subject}`, CAPS.title),
      description: clip(body || alert.subject, CAPS.description),
      ...(steps.length > 0 ? { nextSteps: steps.slice(0, CAPS.steps).map((s) => clip(s, CAPS.step)) } : {}),
      keywords: [alert.event, alert.severity, alert.chain, ...(alert.tier ? [alert.tier] : [])]
        .filter((k) => k.length > 0)
        .map((k) => clip(k, CAPS.keyword)),
    },
    metadata: {
      threadId: clip(`failover-chains/${alert.chain}`, CAPS.thread),
      summary: alert.subject,
      eventType: alert.event,
      relatedResources: alert.chain ? [alert.chain] : [],
      additionalContext: additionalContext(alert, id),
      enableCustomActions: true,
    },
  };
}

/** The alert's JSON document flattened to the string values additionalContext takes. */
function additionalContext(alert: Alert, id: string): Record<string, string> {
  const fields: Record<string, unknown> = {
    schema: ALERT_SCHEMA,
    id,
    event: alert.event,
    severity: alert.severity,
    chain: alert.chain,
    ...(alert.tier ? { tier: alert.tier } : {}),
    at: alert.at,
    ...alert.detail,
  };
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
