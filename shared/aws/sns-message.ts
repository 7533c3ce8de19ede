import type { MessageAttributeValue, PublishCommandInput } from '@aws-sdk/client-sns';
import { alertDocument, alertId, type Alert } from '../core/alerts.ts';
import { chatNotification } from '../core/chat-notification.ts';
import { SHORTEN_LEVELS, shortenAlert } from '../core/shorten-alert.ts';

// "All parts of the message attribute, including name, type, and value, are included in the
// message size restriction, which is 256 KiB (262,144 bytes)"; messages are "at most 256 KB in
// size (262,144 bytes, not 262,144 characters)".
// https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html
// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
/** The most bytes one Publish may carry: message plus every attribute's name, type and value. */
export const MAX_PUBLISH_BYTES = 262_144;

/**
 * The Publish request for one alert, per protocol: email (and `default`) the readable text with
 * its id; SQS, Lambda, HTTP and email-json the versioned JSON document; HTTPS, the protocol
 * Amazon Q Developer in chat applications subscribes with, its custom-notification card.
 * Attributes chain, event, severity, tier and alertId let subscriptions filter. An alert too big
 * for SNS is shortened step by step (lists and long strings say how much is not shown); its id
 * stays the id of the whole alert.
 */
export function publishInput(alert: Alert, topicArn: string): PublishCommandInput {
  const id = alertId(alert);
  for (const limits of [undefined, ...SHORTEN_LEVELS]) {
    const input = build(limits ? shortenAlert(alert, limits) : alert, id, topicArn);
    if (publishBytes(input) <= MAX_PUBLISH_BYTES) return input;
  }
  // Only an alert whose fixed fields alone are huge gets here; say so rather than fail.
  const bare: Alert = {
    ...alert,
    text: `${alert.text.slice(0, 2000)}\n... (the rest of this alert is too large to send)`,
    detail: { notShown: 'the detail of this alert is too large to send' },
  };
  return build(bare, id, topicArn);
}

/** The bytes SNS counts against its size limit (subject included, to be safe). */
export function publishBytes(input: PublishCommandInput): number {
  const attributes = Object.entries(input.MessageAttributes ?? {}).reduce(
    (sum, [name, value]) =>
      sum +
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? '') +
      Buffer.byteLength(value.StringValue ?? ''),
    0,
  );
  return Buffer.byteLength(input.Message ?? '') + Buffer.byteLength(input.Subject ?? '') + attributes;
}

/** Message attributes for SNS filter policies; SNS refuses empty values, so those are left out. */
export function alertAttributes(alert: Alert, id: string): Record<string, MessageAttributeValue> {
  const values: [string, string | undefined][] = [
    ['chain', alert.chain],
    ['event', alert.event],
    ['severity', alert.severity],
    ['tier', alert.tier],
    ['alertId', id],
  ];
  return Object.fromEntries(
    values
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
      .map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
  );
}

function build(alert: Alert, id: string, topicArn: string): PublishCommandInput {
  const text = `${alert.text}\nAlert id: ${id}`;
  const document = JSON.stringify(alertDocument(alert, id));
  return {
    TopicArn: topicArn,
    Subject: alert.subject,
    MessageStructure: 'json',
    Message: JSON.stringify({
      default: text,
      email: text,
      'email-json': document,
      sqs: document,
      lambda: document,
      http: document,
      https: JSON.stringify(chatNotification(alert, id)),
    }),
    MessageAttributes: alertAttributes(alert, id),
  };
}
