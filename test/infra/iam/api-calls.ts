import { OUTBOX_INDEX } from '../../../shared/aws/tables.ts';
import { levelName } from '../../../shared/core/dns-name.ts';
import { alarmName } from '../../../shared/core/plan-alarms.ts';
import { healthCheckTags } from '../../../shared/core/plan-health-checks.ts';

// Every AWS API call the Lambdas' code can make, read from the adapters in shared/aws and the
// paths that reach them (functions/ → shared/reconcile, shared/serving → the ports). The resource
// each call is authorised against follows the Service Authorization Reference:
//   Route 53:   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html
//   CloudWatch: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
//   DynamoDB:   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
//   SNS:        https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html
//   KMS:        https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html (publishers of an
//               encrypted topic need kms:GenerateDataKey and kms:Decrypt on its key)

/** The five Lambdas, by their construct id in the stack. */
export const FUNCTIONS = ['ChainStream', 'HealthAlarm', 'Resync', 'Builder', 'OutboxSweep'] as const;

/** One of the Lambdas. */
export type FunctionName = (typeof FUNCTIONS)[number];

/** The concrete values a deployed function calls with (read from its environment in the template). */
export interface CallWorld {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly hostedZoneIds: readonly string[];
  readonly ownerId: string;
  readonly allowedNameSuffixes: readonly string[];
  readonly chainsTableArn: string;
  readonly statusTableArn: string;
  readonly alertsTopicArn: string;
  /** The builder's queue (BUILD_QUEUE_URL). */
  readonly buildQueueArn: string;
  /** The build queue's dead-letter queue, in the builder's environment only (BUILD_FAILURES_QUEUE_URL). */
  readonly buildFailuresQueueArn: string | undefined;
  /** The key the alerts topic is encrypted with (its KmsMasterKeyId). */
  readonly alertsKeyArn: string | undefined;
}

/** Condition keys and values one request carries. */
export type CallContext = Readonly<Record<string, string | readonly string[]>>;

/** One API call: which adapter method sends which command, and what IAM authorises. */
export interface ApiCall {
  /** The adapter method that sends it. */
  readonly via: string;
  /** The SDK command class the adapter sends. */
  readonly command: string;
  readonly action: string;
  /** The Lambdas whose code paths reach this call (none: only the `chains` CLI makes it). */
  readonly functions: readonly FunctionName[];
  /** The resource ARNs AWS authorises the call against, one request each. */
  readonly resources: (world: CallWorld) => string[];
  /** The condition keys the call sends, one request per entry (default: none beyond the global ones). */
  readonly contexts?: (world: CallWorld) => CallContext[];
}

/** The four that reconcile; the outbox sweep only delivers what is in outboxes. */
const ALL: readonly FunctionName[] = ['ChainStream', 'HealthAlarm', 'Resync', 'Builder'];
/** Reading and writing status and history items and publishing alerts: every Lambda. */
const DELIVERS: readonly FunctionName[] = [...ALL, 'OutboxSweep'];
const FULL_RUN: readonly FunctionName[] = ['Resync'];
const CLI_ONLY: readonly FunctionName[] = [];
/** Only the builder creates health checks; the others hand chains that need one to it. */
const BUILDER: readonly FunctionName[] = ['Builder'];
const HANDS_OFF: readonly FunctionName[] = ['ChainStream', 'HealthAlarm', 'Resync'];

const zones = (w: CallWorld) => w.hostedZoneIds.map((id) => `arn:${w.partition}:route53:::hostedzone/${id}`);
const healthCheck = (w: CallWorld) => [
  `arn:${w.partition}:route53:::healthcheck/7d3c1e52-7a4b-4c1e-9f0a-3b5e2c8d9a10`,
];
/** A chain name the deployment accepts: under the first allowed suffix, if any. */
const chainName = (w: CallWorld) => `www.${w.allowedNameSuffixes[0] ?? 'example.com'}`;
const alarmArn = (w: CallWorld, name: string) =>
  `arn:${w.partition}:cloudwatch:${w.region}:${w.account}:alarm:${name}`;
const alarms = (w: CallWorld) => [alarmArn(w, alarmName(w.ownerId, chainName(w), 'primary'))];
const key = (w: CallWorld) => (w.alertsKeyArn ? [w.alertsKeyArn] : []);

/** PutMetricAlarm sends the alarm's tags, so IAM sees aws:TagKeys and aws:RequestTag/<key>. */
const alarmTags = (w: CallWorld): CallContext[] => {
  const tags = healthCheckTags(w.ownerId, chainName(w), 'primary');
  return [
    {
      'aws:TagKeys': Object.keys(tags),
      ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
    },
  ];
};

/**
 * A change batch carries the names (lower case, no trailing dot), types and actions of its
 * changes; reconcile writes a chain's levels in one record type and may CREATE, UPSERT and DELETE
 * in one batch. https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html
 */
const recordChanges = (w: CallWorld): CallContext[] =>
  ['A', 'AAAA', 'CNAME'].map((type) => ({
    'route53:ChangeResourceRecordSetsNormalizedRecordNames': [0, 1, 2].map((level) =>
      levelName(chainName(w), level),
    ),
    'route53:ChangeResourceRecordSetsRecordTypes': [type],
    'route53:ChangeResourceRecordSetsActions': ['CREATE', 'UPSERT', 'DELETE'],
  }));

/** Publishing to a KMS-encrypted topic: SNS calls KMS on the publisher's behalf. */
const viaSns = (w: CallWorld): CallContext[] => [
  {
    'kms:ViaService': `sns.${w.region}.amazonaws.com`,
    'kms:CallerAccount': w.account,
    'kms:EncryptionContext:aws:sns:topicArn': w.alertsTopicArn,
  },
];

/** The table: every call any adapter can send. */
export const API_CALLS: readonly ApiCall[] = [
  // Route 53 (shared/aws/route53-adapter.ts)
  {
    via: 'Route53Adapter.getZone',
    command: 'GetHostedZoneCommand',
    action: 'route53:GetHostedZone',
    functions: ALL,
    resources: zones,
  },
  {
    via: 'Route53Adapter.listRecordsUnder, listZone',
    command: 'ListResourceRecordSetsCommand',
    action: 'route53:ListResourceRecordSets',
    functions: ALL,
    resources: zones,
  },
  {
    via: 'Route53Adapter.changeRecords',
    command: 'ChangeResourceRecordSetsCommand',
    action: 'route53:ChangeResourceRecordSets',
    functions: ALL,
    resources: zones,
    contexts: recordChanges,
  },
  {
    via: 'Route53Adapter.getHealthCheck',
    command: 'GetHealthCheckCommand',
    action: 'route53:GetHealthCheck',
    functions: ALL,
    resources: healthCheck,
  },
  {
    // A tier moving to another check asks Route 53 whether it is failing and whether the new check
    // has a verdict yet (keep-old-checks.ts).
    via: 'Route53Adapter.healthCheckHealthy',
    command: 'GetHealthCheckStatusCommand',
    action: 'route53:GetHealthCheckStatus',
    functions: ALL,
    resources: healthCheck,
  },
  {
    via: 'Route53Adapter.createHealthCheck',
    command: 'CreateHealthCheckCommand',
    action: 'route53:CreateHealthCheck',
    functions: BUILDER,
    resources: () => ['*'],
  },
  {
    // Reconcile looks a check up by CallerReference; the full run lists every check.
    via: 'Route53Adapter.findHealthCheckByReference, listHealthChecks',
    command: 'ListHealthChecksCommand',
    action: 'route53:ListHealthChecks',
    functions: ALL,
    resources: () => ['*'],
  },
  {
    // Before creating health checks: the account's health check quota and use.
    via: 'Route53Adapter.healthCheckQuota',
    command: 'GetAccountLimitCommand',
    action: 'route53:GetAccountLimit',
    functions: ALL,
    resources: () => ['*'],
  },
  {
    // Before creating records: the zone's record quota and use.
    via: 'Route53Adapter.recordQuota',
    command: 'GetHostedZoneLimitCommand',
    action: 'route53:GetHostedZoneLimit',
    functions: ALL,
    resources: zones,
  },
  {
    via: 'Route53Adapter.tagHealthCheck',
    command: 'ChangeTagsForResourceCommand',
    action: 'route53:ChangeTagsForResource',
    functions: ALL,
    resources: healthCheck,
  },
  {
    via: 'Route53Adapter.getHealthCheckTags',
    command: 'ListTagsForResourceCommand',
    action: 'route53:ListTagsForResource',
    functions: ALL,
    resources: healthCheck,
  },
  {
    via: 'Route53Adapter.tagsOf',
    command: 'ListTagsForResourcesCommand',
    action: 'route53:ListTagsForResources',
    functions: FULL_RUN,
    resources: healthCheck,
  },
  {
    via: 'Route53Adapter.updateHealthCheck',
    command: 'UpdateHealthCheckCommand',
    action: 'route53:UpdateHealthCheck',
    functions: ALL,
    resources: healthCheck,
  },
  {
    via: 'Route53Adapter.deleteHealthCheck',
    command: 'DeleteHealthCheckCommand',
    action: 'route53:DeleteHealthCheck',
    functions: ALL,
    resources: healthCheck,
  },
  // CloudWatch (shared/aws/cloudwatch-adapter.ts)
  {
    via: 'CloudWatchAdapter.describe (AlarmNames)',
    command: 'DescribeAlarmsCommand',
    action: 'cloudwatch:DescribeAlarms',
    functions: ALL,
    resources: alarms,
  },
  {
    // With AlarmNamePrefix IAM sees no alarm name: the request is authorised against `alarm:*`.
    via: 'CloudWatchAdapter.listByPrefix (AlarmNamePrefix)',
    command: 'DescribeAlarmsCommand',
    action: 'cloudwatch:DescribeAlarms',
    functions: FULL_RUN,
    resources: (w) => [alarmArn(w, '*')],
  },
  {
    via: 'CloudWatchAdapter.put',
    command: 'PutMetricAlarmCommand',
    action: 'cloudwatch:PutMetricAlarm',
    functions: ALL,
    resources: alarms,
    contexts: alarmTags,
  },
  {
    // PutMetricAlarm with Tags also needs cloudwatch:TagResource on the alarm (PutMetricAlarm API reference).
    via: 'CloudWatchAdapter.put (Tags)',
    command: 'PutMetricAlarmCommand',
    action: 'cloudwatch:TagResource',
    functions: ALL,
    resources: alarms,
    contexts: alarmTags,
  },
  {
    via: 'CloudWatchAdapter.delete',
    command: 'DeleteAlarmsCommand',
    action: 'cloudwatch:DeleteAlarms',
    functions: ALL,
    resources: alarms,
  },
  // SNS (shared/aws/sns-adapter.ts)
  {
    via: 'SnsAdapter.publish',
    command: 'PublishCommand',
    action: 'sns:Publish',
    functions: DELIVERS,
    resources: (w) => [w.alertsTopicArn],
  },
  {
    via: 'SnsAdapter.publish (encrypted topic)',
    command: 'PublishCommand',
    action: 'kms:GenerateDataKey',
    functions: DELIVERS,
    resources: key,
    contexts: viaSns,
  },
  {
    via: 'SnsAdapter.publish (encrypted topic)',
    command: 'PublishCommand',
    action: 'kms:Decrypt',
    functions: DELIVERS,
    resources: key,
    contexts: viaSns,
  },
  // SQS (shared/aws/sqs-build-queue.ts): SendMessageBatch is authorised as sqs:SendMessage
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html)
  {
    // The builder queues again, at the back, a chain another reconcile holds.
    via: 'SqsBuildQueue.request',
    command: 'SendMessageBatchCommand',
    action: 'sqs:SendMessage',
    functions: [...HANDS_OFF, ...BUILDER],
    resources: (w) => [w.buildQueueArn],
  },
  {
    via: 'SqsBuildFailures.park',
    command: 'SendMessageBatchCommand',
    action: 'sqs:SendMessage',
    functions: BUILDER,
    // Without the queue in its environment the builder cannot park anything: a denied request.
    resources: (w) => [w.buildFailuresQueueArn ?? 'arn:aws:sqs:::BUILD_FAILURES_QUEUE_URL-unset'],
  },
  // DynamoDB (shared/aws/chain-store.ts, status-store.ts, history-store.ts)
  {
    via: 'DynamoChainStore.get',
    command: 'GetItemCommand',
    action: 'dynamodb:GetItem',
    functions: ALL,
    resources: (w) => [w.chainsTableArn],
  },
  {
    via: 'DynamoChainStore.scan',
    command: 'ScanCommand',
    action: 'dynamodb:Scan',
    functions: FULL_RUN,
    resources: (w) => [w.chainsTableArn],
  },
  {
    via: 'DynamoChainStore.put (chains apply)',
    command: 'PutItemCommand',
    action: 'dynamodb:PutItem',
    functions: CLI_ONLY,
    resources: (w) => [w.chainsTableArn],
  },
  {
    via: 'DynamoChainStore.remove (chains delete)',
    command: 'DeleteItemCommand',
    action: 'dynamodb:DeleteItem',
    functions: CLI_ONLY,
    resources: (w) => [w.chainsTableArn],
  },
  {
    via: 'DynamoStatusStore.get',
    command: 'GetItemCommand',
    action: 'dynamodb:GetItem',
    functions: DELIVERS,
    resources: (w) => [w.statusTableArn],
  },
  {
    via: 'DynamoStatusStore.save',
    command: 'PutItemCommand',
    action: 'dynamodb:PutItem',
    functions: DELIVERS,
    resources: (w) => [w.statusTableArn],
  },
  {
    via: 'DynamoStatusStore.list',
    command: 'ScanCommand',
    action: 'dynamodb:Scan',
    functions: FULL_RUN,
    resources: (w) => [w.statusTableArn],
  },
  {
    // A scan of the sparse index is authorised against the index's ARN.
    via: 'DynamoStatusStore.outboxesDue',
    command: 'ScanCommand',
    action: 'dynamodb:Scan',
    functions: ['OutboxSweep'],
    resources: (w) => [`${w.statusTableArn}/index/${OUTBOX_INDEX}`],
  },
  {
    via: 'DynamoFullRunCursor.get',
    command: 'GetItemCommand',
    action: 'dynamodb:GetItem',
    functions: FULL_RUN,
    resources: (w) => [w.statusTableArn],
  },
  {
    via: 'DynamoFullRunCursor.set',
    command: 'PutItemCommand',
    action: 'dynamodb:PutItem',
    functions: FULL_RUN,
    resources: (w) => [w.statusTableArn],
  },
  {
    via: 'DynamoHistoryStore.append',
    command: 'PutItemCommand',
    action: 'dynamodb:PutItem',
    functions: DELIVERS,
    resources: (w) => [w.statusTableArn],
  },
  {
    via: 'DynamoSharedCheckRegistry.get / isUser',
    command: 'GetItemCommand',
    action: 'dynamodb:GetItem',
    functions: ALL,
    resources: (w) => [w.statusTableArn],
  },
  // A transaction is authorised as the item actions it holds:
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
  {
    via: 'DynamoSharedCheckRegistry.reserve / join (a user item, with the head item)',
    command: 'TransactWriteItemsCommand',
    action: 'dynamodb:PutItem',
    functions: ALL,
    resources: (w) => [w.statusTableArn],
  },
  {
    via: 'DynamoSharedCheckRegistry.join / leave (the head item’s count of users)',
    command: 'TransactWriteItemsCommand',
    action: 'dynamodb:UpdateItem',
    functions: ALL,
    resources: (w) => [w.statusTableArn],
  },
  {
    via: 'DynamoSharedCheckRegistry.leave (a user item)',
    command: 'TransactWriteItemsCommand',
    action: 'dynamodb:DeleteItem',
    functions: ALL,
    resources: (w) => [w.statusTableArn],
  },
  {
    via: 'DynamoSharedCheckRegistry.renew / setId / markDeleting',
    command: 'UpdateItemCommand',
    action: 'dynamodb:UpdateItem',
    functions: ALL,
    resources: (w) => [w.statusTableArn],
  },
  {
    via: 'DynamoSharedCheckRegistry.remove',
    command: 'DeleteItemCommand',
    action: 'dynamodb:DeleteItem',
    functions: ALL,
    resources: (w) => [w.statusTableArn],
  },
  {
    via: 'DynamoSharedCheckRegistry.users (a shared alarm’s fan-out) / usesOf (a chain whose status was lost) / list (full run clean-up)',
    command: 'QueryCommand',
    action: 'dynamodb:Query',
    functions: ALL,
    resources: (w) => [w.statusTableArn],
  },
  {
    via: 'DynamoHistoryStore.list (chains history)',
    command: 'QueryCommand',
    action: 'dynamodb:Query',
    functions: CLI_ONLY,
    resources: (w) => [w.statusTableArn],
  },
  {
    via: 'missingTables (chains, to name a table that does not exist)',
    command: 'DescribeTableCommand',
    action: 'dynamodb:DescribeTable',
    functions: CLI_ONLY,
    resources: (w) => [w.chainsTableArn, w.statusTableArn],
  },
  {
    via: 'readStackOutputs (chains --stack)',
    command: 'DescribeStacksCommand',
    action: 'cloudformation:DescribeStacks',
    functions: CLI_ONLY,
    resources: (w) => [`arn:${w.partition}:cloudformation:${w.region}:${w.account}:stack/FailoverChains/*`],
  },
];
