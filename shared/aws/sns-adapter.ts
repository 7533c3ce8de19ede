import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { alertDocument, type Alert } from '../core/alerts.ts';
import type { AlertPort } from '../ports.ts';

/**
 * AlertPort on SNS with MessageStructure json: email gets the readable text, SQS, Lambda and
 * HTTP(S) subscribers the versioned JSON document; attributes let subscribers filter.
 */
export class SnsAdapter implements AlertPort {
  constructor(
    private readonly client: Pick<SNSClient, 'send'>,
    private readonly topicArn: string,
  ) {}

  async publish(alert: Alert): Promise<void> {
    const document = JSON.stringify(alertDocument(alert));
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: alert.subject,
        MessageStructure: 'json',
        Message: JSON.stringify({
          default: alert.text,
          email: alert.text,
          'email-json': document,
          sqs: document,
          lambda: document,
          http: document,
          https: document,
        }),
        MessageAttributes: {
          chain: { DataType: 'String', StringValue: alert.chain },
          event: { DataType: 'String', StringValue: alert.event },
          severity: { DataType: 'String', StringValue: alert.severity },
          ...(alert.tier ? { tier: { DataType: 'String', StringValue: alert.tier } } : {}),
        },
      }),
    );
  }
}
