import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../core/alerts.ts';
import type { AlertPort } from '../ports.ts';
import { publishInput } from './sns-message.ts';

/** AlertPort on SNS: one Publish per alert, shaped per protocol by sns-message.ts. */
export class SnsAdapter implements AlertPort {
  constructor(
    private readonly client: Pick<SNSClient, 'send'>,
    private readonly topicArn: string,
  ) {}

  async publish(alert: Alert): Promise<void> {
    await this.client.send(new PublishCommand(publishInput(alert, this.topicArn)));
  }
}
