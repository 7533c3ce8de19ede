import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Settings of the build queue. */
export interface BuildQueueProps {
  /** The builder's timeout; the queue's visibility timeout is six times it, as Lambda advises. */
  readonly builderTimeout: Duration;
  /** Deliveries of one message before it is parked (default 20). */
  readonly maxReceiveCount?: number;
}

/**
 * The builder's SQS FIFO queue. Every message is in one message group, and SQS hands out a
 * group's messages one batch at a time, in order
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagegroupid-property.html);
 * Lambda's FIFO mapping scales to the number of active message groups
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html), so at most one builder runs with
 * no reserved concurrency to pay for. Messages are kept 14 days, the most SQS allows.
 */
export class BuildQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: BuildQueueProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'Failures', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const reason =
      'This queue is itself a dead-letter queue: it parks build requests the builder gave up on; its depth raises an alarm.';
    Validations.of(this.deadLetters).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-SQS3', reason },
      { id: 'Serverless::Serverless-SQSRedrivePolicy', reason },
    );
    this.queue = new Queue(this, 'Requests', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      visibilityTimeout: Duration.seconds(props.builderTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: props.maxReceiveCount ?? 20 },
    });
  }

  /**
   * Deliver the queue to the builder, ten messages a batch (the FIFO maximum), with partial batch
   * responses; the role gets only the three calls Lambda's poller makes
   * (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions), not the
   * wider set `SqsEventSource` grants, and sqs:SendMessage on the queue (a chain that must wait is
   * queued again at its back) and on the failures queue (a message it can never read is parked
   * there at once: SQS has no call that moves one message to a dead-letter queue).
   */
  feed(scope: Construct, builder: IFunction): void {
    builder.role?.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: [this.queue.queueArn],
      }),
    );
    builder.role?.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn, this.deadLetters.queueArn],
      }),
    );
    const mapping = new EventSourceMapping(scope, 'BuildRequests', {
      target: builder,
      eventSourceArn: this.queue.queueArn,
      batchSize: 10,
      reportBatchItemFailures: true,
    });
    Validations.of(mapping).acknowledge({
      id: 'Serverless::Serverless-LambdaEventSourceMappingDestination',
      reason:
        "An SQS mapping takes no on-failure destination: the queue's redrive policy parks what the builder gives up on.",
    });
  }

  /** Let a reconciler hand chains to the builder. */
  grantSend(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
  }
}
