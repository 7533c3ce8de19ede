import { CfnOutput, Duration, RemovalPolicy, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Match, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { OUTBOX_DUE_ATTRIBUTE, OUTBOX_INDEX } from '../shared/aws/tables.ts';
import { alarmNamePrefix } from '../shared/core/plan-alarms.ts';
import { AlertTopics } from './constructs/alert-topics.ts';
import { ChainsDashboard } from './constructs/chains-dashboard.ts';
import { BuildQueue } from './constructs/build-queue.ts';
import { HandlerFunction } from './constructs/handler-function.ts';
import {
  grantOutboxSweep,
  grantReconcile,
  SendOnlySqsDestination,
  SendOnlySqsDlq,
} from './constructs/reconcile-iam.ts';
import { StackConfigError, type StackConfig } from './stack-config.ts';

/** The builder's timeout: it starts no chain in its last minute (functions/build-chains.ts). */
const BUILDER_TIMEOUT = Duration.minutes(5);

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
      throw new StackConfigError(
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
    // Sparse: only status items with alerts waiting carry the sort key (shared/aws/tables.ts).
    status.addGlobalSecondaryIndex({
      indexName: OUTBOX_INDEX,
      partitionKey: { name: 'name', type: AttributeType.STRING },
      sortKey: { name: OUTBOX_DUE_ATTRIBUTE, type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });

    const { alerts, operations, undelivered, key } = new AlertTopics(this, 'Topics', {
      ...(config.alertEmail ? { alertEmail: config.alertEmail } : {}),
      ...(config.opsEmail ? { opsEmail: config.opsEmail } : {}),
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
      const reason =
        'This queue is itself a dead-letter queue: it parks events the stream or rule gave up on; its depth raises an alarm.';
      Validations.of(queue).acknowledge(
        { id: 'AwsSolutions::AwsSolutions-SQS3', reason },
        { id: 'Serverless::Serverless-SQSRedrivePolicy', reason },
      );
    }

    // The builder's FIFO queue: one message group, so one batch at a time for the whole account.
    const build = new BuildQueue(this, 'Build', { builderTimeout: BUILDER_TIMEOUT });

    const environment = {
      BUILD_QUEUE_URL: build.queue.queueUrl,
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
      // One chain's alarm takes about a second; a shared check's alarm observes every chain that
      // uses it. 10,000 chains take about 18 s at CloudWatch's 9 DescribeAlarms a second and a new
      // table's 4,000 write units a second (README "Scale"); another function reading alarms at
      // the same time, or a slower table, can double that. 5 minutes keeps it far from the limit.
      timeout: Duration.minutes(5),
    });
    const resyncFn = new HandlerFunction(this, 'Resync', {
      handler: 'resync',
      description: 'Reconciles every chain on a schedule and cleans up what no chain uses',
      environment,
      timeout: Duration.minutes(15),
      // One full run at a time: a tick that finds one running waits (Lambda keeps a throttled
      // asynchronous event and retries it, up to its maximum age) instead of overlapping it.
      reservedConcurrentExecutions: 1,
    });
    const builderFn = new HandlerFunction(this, 'Builder', {
      handler: 'build-chains',
      description: 'The one creator of health checks: builds new chains at the account rate',
      environment: { ...environment, BUILD_FAILURES_QUEUE_URL: build.deadLetters.queueUrl },
      timeout: BUILDER_TIMEOUT,
    });
    Validations.of(builderFn).acknowledge({
      id: 'Serverless::Serverless-LambdaDLQ',
      reason: 'Invoked by the build queue mapping; the queue has its own dead-letter queue.',
    });
    build.feed(this, builderFn);
    // Delivers within a minute what a writer could not; it holds what it delivers for
    // OUTBOX_CLAIM_MS, longer than this timeout, so no other sweep sends it meanwhile.
    const outboxFn = new HandlerFunction(this, 'OutboxSweep', {
      handler: 'outbox-sweep',
      description: 'Delivers, every minute, the alerts a writer could not publish',
      environment: {
        STATUS_TABLE: status.tableName,
        ALERTS_TOPIC_ARN: alerts.topicArn,
        OWNER_ID: config.ownerId,
        POWERTOOLS_SERVICE_NAME: 'failover-chains',
      },
      timeout: Duration.minutes(1),
    });
    const functions = [streamFn, alarmFn, resyncFn, builderFn];
    // EventBridge's retries and DLQ cover delivery only; an invocation that fails after Lambda's
    // own retries is parked with the undelivered events, under the same alarm.
    alarmFn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SendOnlySqsDestination(alarmEventFailures),
    });
    // The schedule is the retry: a failed full run is not run again on top of the next one.
    resyncFn.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.minutes(Math.max(config.resyncMinutes, 1)),
    });
    Validations.of(resyncFn).acknowledge(
      {
        id: 'Serverless::Serverless-LambdaAsyncFailureDestination',
        reason:
          'A failed full run needs no replay: the next scheduled run does the same work; its errors raise an alarm.',
      },
      {
        id: 'Serverless::Serverless-LambdaDLQ',
        reason:
          'A failed full run needs no replay: the next scheduled run does the same work; its errors raise an alarm.',
      },
    );
    // The next minute's sweep is the retry, as for the full run.
    outboxFn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    const nextSweep =
      'A failed sweep needs no replay: the next minute does the same work; its errors raise an alarm.';
    Validations.of(outboxFn).acknowledge(
      { id: 'Serverless::Serverless-LambdaAsyncFailureDestination', reason: nextSweep },
      { id: 'Serverless::Serverless-LambdaDLQ', reason: nextSweep },
    );
    Validations.of(streamFn).acknowledge({
      id: 'Serverless::Serverless-LambdaDLQ',
      reason: 'Invoked by the stream mapping, whose on-failure destination parks the records it gives up on.',
    });
    Validations.of(alarmFn).acknowledge({
      id: 'Serverless::Serverless-LambdaDLQ',
      reason: 'An on-failure destination (which also records the error) parks failed invocations instead.',
    });

    grantReconcile(this, {
      config,
      chains,
      status,
      alerts,
      alertsKey: key,
      reconcilers: functions.map((fn) => fn.role!),
      fullRun: resyncFn.role!,
      builder: builderFn.role!,
    });
    grantOutboxSweep(this, {
      status,
      outboxIndex: OUTBOX_INDEX,
      alerts,
      alertsKey: key,
      role: outboxFn.role!,
    });
    for (const fn of [streamFn, alarmFn, resyncFn]) build.grantSend(fn.role!);
    Validations.of(streamFn.role!).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, needed by the stream event source, supports no resource-level permissions.',
    });

    streamFn.addEventSource(
      new DynamoEventSource(chains, {
        startingPosition: StartingPosition.LATEST,
        // See README "Bulk imports": a record costs a queue entry or one inline reconcile
        // (about 0.25 s), so 100 take at most ~25 s of the 5 minutes; an import of 10,000 rows
        // drains in minutes, far inside a record age of 12 h (the stream keeps records 24 h).
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(12),
        reportBatchItemFailures: true,
        onFailure: new SendOnlySqsDlq(streamFailures),
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

    const resyncSchedule = new Rule(this, 'ResyncSchedule', {
      description: 'Full reconcile of every chain',
      schedule: Schedule.rate(Duration.minutes(config.resyncMinutes)),
      targets: [
        new LambdaFunction(resyncFn, {
          event: RuleTargetInput.fromObject({ source: 'failover-chains.schedule' }),
          retryAttempts: 0,
        }),
      ],
    });
    Validations.of(resyncSchedule).acknowledge({
      id: 'Serverless::Serverless-EventBusDLQ',
      reason: 'A missed tick needs no replay: the next scheduled run does the same work.',
    });

    const outboxSchedule = new Rule(this, 'OutboxSweepSchedule', {
      description: 'Delivers the alerts a writer could not publish',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [
        new LambdaFunction(outboxFn, {
          event: RuleTargetInput.fromObject({ source: 'failover-chains.outbox-sweep' }),
          retryAttempts: 0,
        }),
      ],
    });
    Validations.of(outboxSchedule).acknowledge({
      id: 'Serverless::Serverless-EventBusDLQ',
      reason: 'A missed tick needs no replay: the next minute does the same work.',
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
    for (const fn of [...functions, outboxFn]) {
      operationsAlarm(
        `${fn.node.id}Errors`,
        `${fn.node.id} Lambda errors`,
        fn.metricErrors({ period: Duration.minutes(5) }),
        1,
      );
    }
    for (const queue of [streamFailures, alarmEventFailures, undelivered]) {
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

    operationsAlarm(
      'BuildFailuresDepth',
      'chains the builder gave up on, parked in BuildFailures',
      build.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      1,
    );

    new ChainsDashboard(this, 'Dashboard', {
      functions: { stream: streamFn, alarm: alarmFn, resync: resyncFn },
      deadLetterQueues: [streamFailures, alarmEventFailures, undelivered],
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
      value: `AWS_REGION=us-east-1 npx chains --stack ${this.stackName} apply examples/resilient-site.json`,
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
