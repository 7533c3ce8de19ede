import { describe, expect, it } from 'vitest';
import { SnsAdapter } from '../../shared/aws/sns-adapter.ts';
import { MAX_PUBLISH_BYTES, publishBytes, publishInput } from '../../shared/aws/sns-message.ts';
import { alertId, conflictAlert, reconcileFailedAlert, type Alert } from '../../shared/core/alerts.ts';
import { chatNotificationSchema } from '../../shared/core/chat-notification-schema.ts';
import { SnsStandIn } from '../../local/sns-stand-in.ts';
import { alertExamples } from '../fixtures/alert-examples.ts';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:alerts';
const AT = '2026-11-24T03:01:00.000Z';

function topic() {
  const sns = new SnsStandIn();
  sns.addTopic(TOPIC);
  return { sns, adapter: new SnsAdapter(sns, TOPIC) };
}

describe('alerts as SNS publishes them', () => {
  it.each(Object.entries(alertExamples()))(
    '%s: accepted by SNS, the same id in the JSON, the attributes, the email text and the chat card',
    async (event, alert) => {
      const { sns, adapter } = topic();
      await adapter.publish(alert);
      await adapter.publish(alert);
      const [first, second] = sns.published;
      const id = alertId(alert);
      expect(first?.attributes).toEqual({
        chain: 'resilient-site.example.com',
        event,
        severity: alert.severity,
        ...(alert.tier ? { tier: alert.tier } : {}),
        alertId: id,
      });
      expect(first?.json).toMatchObject({ schema: 'failover-chains.alert/v1', id, event });
      expect(first?.text.endsWith(`\nAlert id: ${id}`)).toBe(true);
      expect(first?.protocols.lambda).toBe(first?.protocols.sqs);
      // Published twice (a redelivery): same id, so a subscriber can drop the repeat.
      expect(second?.attributes.alertId).toBe(id);
      const card = chatNotificationSchema.parse(first?.chat);
      expect(card).toMatchObject({
        version: '1.0',
        source: 'custom',
        id,
        content: { textType: 'client-markdown', title: expect.stringContaining(alert.subject) as string },
        metadata: { eventType: event, threadId: 'failover-chains/resilient-site.example.com' },
      });
      expect(card.metadata?.additionalContext).toMatchObject({ id, event, chain: alert.chain, at: alert.at });
    },
  );

  it('a CONFLICT listing 50,000 records is delivered shortened, saying how many are not shown', async () => {
    const conflicts = Array.from({ length: 50_000 }, (_, i) => ({
      name: `n${String(i)}.resilient-site.example.com`,
      type: 'CNAME',
      reason: 'a simple record the chain did not make',
    }));
    const alert = conflictAlert('resilient-site.example.com', conflicts, AT);
    const input = publishInput(alert, TOPIC);
    expect(publishBytes(input)).toBeLessThanOrEqual(MAX_PUBLISH_BYTES);
    const { sns, adapter } = topic();
    await adapter.publish(alert);
    const message = sns.published[0]!;
    const shown = (message.json as { conflicts: unknown[] }).conflicts.length;
    expect(shown).toBeGreaterThan(0);
    expect(message.json).toMatchObject({ notShown: { conflicts: 50_000 - shown } });
    expect(message.text).toContain(`- ... ${(50_000 - shown).toLocaleString('en-US')} more not shown`);
    expect(message.text).toContain('What to check: remove or rename the other records');
    // The id is the whole alert's id, not the shortened one's.
    expect(message.attributes.alertId).toBe(alertId(alert));
    chatNotificationSchema.parse(message.chat);
  });

  it('a RECONCILE_FAILED with a 1 MB error is delivered with the start of the error and how much is cut', async () => {
    const alert = reconcileFailedAlert('resilient-site.example.com', `Boom: ${'x'.repeat(1_000_000)}`, AT);
    const { sns, adapter } = topic();
    await adapter.publish(alert);
    const message = sns.published[0]!;
    expect(message.text).toMatch(
      /could not be reconciled: Boom: x+ \.\.\. \([\d,]+ more characters not shown\)/,
    );
    expect((message.json as { error: string }).error).toMatch(/more characters not shown\)$/);
  });

  it('multi-byte text is counted in bytes, as SNS counts it', () => {
    const alert: Alert = reconcileFailedAlert('resilient-site.example.com', 'é'.repeat(200_000), AT);
    const input = publishInput(alert, TOPIC);
    expect(publishBytes(input)).toBeLessThanOrEqual(MAX_PUBLISH_BYTES);
    expect(Buffer.byteLength(input.Message ?? '')).toBeLessThanOrEqual(MAX_PUBLISH_BYTES);
  });

  it('an alert without a tier carries no empty tier attribute (SNS refuses empty values)', () => {
    const input = publishInput(alertExamples().CONFLICT, TOPIC);
    expect(Object.keys(input.MessageAttributes ?? {})).toEqual(['chain', 'event', 'severity', 'alertId']);
  });
});
