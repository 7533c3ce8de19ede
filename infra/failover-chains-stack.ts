import { CfnOutput, Duration, RemovalPolicy, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Match, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, ManagedPolicy, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { alarmNamePrefix } from '../shared/core/plan-alarms.ts';
import { ChainsDashboard } from './constructs/chains-dashboard.ts';
import { HandlerFunction } from './constructs/handler-function.ts';
import type { StackConfig } from './stack-config.ts';

/** The stack's settings. */
export interface FailoverChainsStackProps extends StackProps {
  readonly config: StackConfig;
}

/**
 * Everything failover-chains runs on: the Chains and Status tables, the stream, alarm and resync
 * Lambdas, the EventBridge rules, the alerts and operations topics and a dashboard.
 */
export class FailoverChainsStack extends Stack {
  constructor(scope: Construct, id: string, props: FailoverChainsStackProps) {
    super(scope, id, props);
    const { config } = props;
    if (Token.isUnresolved(this.region) || this.region !== 'us-east-1') {
      throw new Error(
        `failover-chains deploys only to us-east-1 (got ${Token.isUnresolved(this.region) ? 'no region' : this.region}): ` +
          'Route 53 publishes HealthCheckStatus metrics only there, so the alarms and the alarm Lambda must live there. Set AWS_REGION=us-east-1.',
      );
    }

    const chains = new Table(this, 'Chains', {
      partitionKey: { name: 'name', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const status = new Table(this, 'Status', {
      partitionKey: { name: 'name', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const key = new Key(this, 'TopicKey', {
      description: 'failover-chains: encrypts the alerts and operations topics',
      enableKeyRotation: true,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const alerts = new Topic(this, 'Alerts', {
      displayName: 'failover-chains alerts',
      masterKey: key,
      enforceSSL: true,
    });
    if (config.alertEmail) alerts.addSubscription(new EmailSubscription(config.alertEmail));
    const operations = new Topic(this, 'Operations', {
      displayName: 'failover-chains operations',
      masterKey: key,
      enforceSSL: true,
    });

    const deadLetters = (id: string) =>
      new Queue(this, id, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
    const streamFailures = deadLetters('StreamFailures');
    const alarmEventFailures = deadLetters('AlarmEventFailures');
    for (const queue of [streamFailures, alarmEventFailures]) {
      Validations.of(queue).acknowledge({
        id: 'AwsSolutions::AwsSolutions-SQS3',
        reason:
          'This queue is itself a dead-letter queue: it parks events the stream or rule gave up on; its depth raises an alarm.',
      });
    }

    const environment = {
      CHAINS_TABLE: chains.tableName,
      STATUS_TABLE: status.tableName,
      ALERTS_TOPIC_ARN: alerts.topicArn,
      OWNER_ID: config.ownerId,
      ALLOWED_HOSTED_ZONE_IDS: config.hostedZoneIds.join(','),
      ALLOWED_NAME_SUFFIXES: config.allowedNameSuffixes.join(','),
      POWERTOOLS_SERVICE_NAME: 'failover-chains',
    };
    const streamFn = new HandlerFunction(this, 'ChainStream', {
      handler: 'chain-stream',
      description: 'Reconciles Route 53 when a chain row changes',
      environment,
      timeout: Duration.minutes(5),
    });
    const alarmFn = new HandlerFunction(this, 'HealthAlarm', {
      handler: 'health-alarm',
      description: 'Works out the serving tier when a health check alarm changes, and alerts',
      environment,
    });
    const resyncFn = new HandlerFunction(this, 'Resync', {
      handler: 'resync',
      description: 'Reconciles every chain on a schedule and cleans up what no chain uses',
      environment,
      timeout: Duration.minutes(15),
    });
    const functions = [streamFn, alarmFn, resyncFn];

    const reconcilePolicy = new ManagedPolicy(this, 'ReconcilePolicy', {
      description:
        'What reconcile needs: records in the listed zones, health checks, alarms with this owner prefix',
      statements: reconcileStatements(this, config),
    });
    Validations.of(reconcilePolicy).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          'route53:CreateHealthCheck and route53:ListHealthChecks support no resource-level permissions.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:route53:::healthcheck/*]',
        reason:
          'Health check ids are generated by Route 53; reconcile only ever passes ids it created (tagged) or the row names.',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:us-east-1:<AWS::AccountId>:alarm:${alarmNamePrefix(config.ownerId)}*]`,
        reason:
          "Alarm names are made per chain at run time; the prefix limits the grant to this deployment's own alarms.",
      },
    );
    for (const fn of functions) {
      fn.role!.addManagedPolicy(reconcilePolicy);
      chains.grantReadData(fn);
      status.grantReadWriteData(fn);
      alerts.grantPublish(fn);
      Validations.of(fn.role!).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          "Publishing to the encrypted alerts topic needs the GenerateDataKey family on that one key (CDK's grantPublish).",
      });
    }
    Validations.of(streamFn.role!).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, needed by the stream event source, supports no resource-level permissions.',
    });

    streamFn.addEventSource(
      new DynamoEventSource(chains, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(1),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(streamFailures),
        filters: [FilterCriteria.filter({ eventName: FilterRule.or('INSERT', 'MODIFY', 'REMOVE') })],
      }),
    );

    new Rule(this, 'HealthAlarmChanges', {
      description: 'State changes of failover-chains health check alarms',
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        detail: { alarmName: Match.prefix(alarmNamePrefix(config.ownerId)) },
      },
      targets: [
        new LambdaFunction(alarmFn, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: alarmEventFailures,
        }),
      ],
    });

    new Rule(this, 'ResyncSchedule', {
      description: 'Full reconcile of every chain',
      schedule: Schedule.rate(Duration.minutes(config.resyncMinutes)),
      targets: [
        new LambdaFunction(resyncFn, {
          event: RuleTargetInput.fromObject({ source: 'failover-chains.schedule' }),
          retryAttempts: 0,
        }),
      ],
    });

    const notify = new SnsAction(operations);
    const operationsAlarm = (id: string, description: string, metric: IMetric, threshold: number) => {
      new Alarm(this, id, {
        alarmDescription: `failover-chains: ${description}`,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(notify);
    };
    for (const fn of functions) {
      operationsAlarm(
        `${fn.node.id}Errors`,
        `${fn.node.id} Lambda errors`,
        fn.metricErrors({ period: Duration.minutes(5) }),
        1,
      );
    }
    for (const queue of [streamFailures, alarmEventFailures]) {
      operationsAlarm(
        `${queue.node.id}Depth`,
        `events gave up on and parked in ${queue.node.id}`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        1,
      );
    }
    const iteratorAge = streamFn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(5) });
    operationsAlarm(
      'StreamIteratorAge',
      'chain edits wait more than 5 minutes to be applied',
      iteratorAge,
      300_000,
    );

    new ChainsDashboard(this, 'Dashboard', {
      functions: { stream: streamFn, alarm: alarmFn, resync: resyncFn },
      deadLetterQueues: [streamFailures, alarmEventFailures],
      iteratorAge,
    });

    new CfnOutput(this, 'ChainsTableName', {
      value: chains.tableName,
      description: 'Your chains: one row per served name',
    });
    new CfnOutput(this, 'StatusTableName', {
      value: status.tableName,
      description: "The system's status and flip history",
    });
    new CfnOutput(this, 'AlertsTopicArn', {
      value: alerts.topicArn,
      description: 'Subscribe here to hear when traffic moves',
    });
    new CfnOutput(this, 'OperationsTopicArn', {
      value: operations.topicArn,
      description: "The system's own alarms",
    });
    new CfnOutput(this, 'AddAChain', {
      value: `CHAINS_TABLE=${chains.tableName} npx chains apply examples/resilient-site.json`,
      description: 'How to add a chain (or put the row in the DynamoDB console)',
    });
    // Read by `chains --stack`, so a run from a laptop obeys the scope the Lambdas obey.
    new CfnOutput(this, 'OwnerId', { value: config.ownerId, description: 'Owner id of this deployment' });
    new CfnOutput(this, 'HostedZoneIds', {
      value: config.hostedZoneIds.join(','),
      description: 'Hosted zones this deployment may change',
    });
    // An output cannot be empty: no suffixes, no output (any name in the zones is allowed).
    if (config.allowedNameSuffixes.length > 0) {
      new CfnOutput(this, 'AllowedNameSuffixes', {
        value: config.allowedNameSuffixes.join(','),
        description: 'Chain names must end with one of these',
      });
    }
  }
}

/** IAM for reconcile, scoped as tightly as each service allows. */
function reconcileStatements(stack: Stack, config: StackConfig): PolicyStatement[] {
  const zones = config.hostedZoneIds.map((id) => `arn:${stack.partition}:route53:::hostedzone/${id}`);
  const names = config.allowedNameSuffixes.flatMap((suffix) => [suffix, `*.${suffix}`]);
  return [
    new PolicyStatement({
      sid: 'ChangeChainRecords',
      actions: ['route53:ChangeResourceRecordSets'],
      resources: zones,
      conditions: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME'],
        },
        ...(names.length > 0
          ? { 'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': names } }
          : {}),
      },
    }),
    new PolicyStatement({
      sid: 'ReadChainZones',
      actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'],
      resources: zones,
    }),
    new PolicyStatement({
      sid: 'ManageHealthChecks',
      actions: [
        'route53:GetHealthCheck',
        'route53:UpdateHealthCheck',
        'route53:DeleteHealthCheck',
        'route53:ChangeTagsForResource',
        'route53:ListTagsForResource',
        'route53:ListTagsForResources',
      ],
      resources: [`arn:${stack.partition}:route53:::healthcheck/*`],
    }),
    new PolicyStatement({
      sid: 'CreateAndListHealthChecks',
      effect: Effect.ALLOW,
      actions: ['route53:CreateHealthCheck', 'route53:ListHealthChecks'],
      // Route 53 supports no resource-level permission for these two actions.
      resources: ['*'],
    }),
    new PolicyStatement({
      sid: 'ManageHealthCheckAlarms',
      actions: [
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:TagResource',
      ],
      resources: [
        `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:${alarmNamePrefix(config.ownerId)}*`,
      ],
    }),
  ];
}
