import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Who hears what. */
export interface AlertTopicsProps {
  /** Subscribed to the alerts topic (traffic moved). */
  readonly alertEmail?: string;
  /** Subscribed to the operations topic (the system's own alarms). */
  readonly opsEmail?: string;
}

/**
 * The two topics, encrypted with one customer key: alerts (published by the Lambdas) and
 * operations (published by CloudWatch alarms). Email that cannot be delivered is parked in a
 * queue instead of vanishing.
 */
export class AlertTopics extends Construct {
  readonly alerts: Topic;
  readonly operations: Topic;
  readonly key: Key;
  /** Messages SNS could not deliver to a subscriber. */
  readonly undelivered: Queue;

  constructor(scope: Construct, id: string, props: AlertTopicsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // CloudWatch publishes on behalf of this account's alarms only (confused-deputy guard). Both
    // the key and the topic need it: CloudWatch must make a data key to publish to an encrypted
    // topic. https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    this.key = new Key(this, 'Key', {
      description: 'failover-chains: encrypts the alerts and operations topics',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToOperations',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromOurAlarms,
      }),
    );
    this.alerts = new Topic(this, 'Alerts', {
      displayName: 'failover-chains alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.operations = new Topic(this, 'Operations', {
      displayName: 'failover-chains operations',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.operations.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.operations.topicArn],
        conditions: fromOurAlarms,
      }),
    );

    this.undelivered = new Queue(this, 'Undelivered', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const reason =
      'This queue is itself the dead-letter queue of the subscriptions; its depth raises an alarm.';
    Validations.of(this.undelivered).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-SQS3', reason },
      { id: 'Serverless::Serverless-SQSRedrivePolicy', reason },
    );
    const subscribe = (topic: Topic, email: string | undefined) => {
      if (email) topic.addSubscription(new EmailSubscription(email, { deadLetterQueue: this.undelivered }));
    };
    subscribe(this.alerts, props.alertEmail);
    subscribe(this.operations, props.opsEmail);
  }
}
