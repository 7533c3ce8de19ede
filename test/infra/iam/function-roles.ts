import type { CallContext, CallWorld, FunctionName } from './api-calls.ts';
import {
  physicalName,
  resolveIntrinsics,
  resolveString,
  type CfnResource,
  type CfnTemplate,
  type Deployment,
} from './resolve-intrinsics.ts';

/** A policy document with every intrinsic resolved. */
export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatementJson[];
}

/** One statement of a resolved policy document. */
export interface PolicyStatementJson {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** A call the Lambda service makes with the function's role (logs, stream polling, destinations). */
export interface PlatformCall {
  readonly via: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: CallContext;
}

/** One function as deployed: its role, the policies that role holds, and what it calls with. */
export interface FunctionRole {
  readonly fn: FunctionName;
  readonly roleArn: string;
  readonly policies: { name: string; policy: PolicyDocument }[];
  readonly world: CallWorld;
  readonly platformCalls: PlatformCall[];
}

const refTo = (value: unknown): string | undefined =>
  value && typeof value === 'object' && 'Ref' in value ? String(value.Ref) : undefined;

const resourcesOfType = (template: CfnTemplate, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/** Read one function's role, effective policies and wiring from the template, resolved for `deployment`. */
export function functionRole(
  fn: FunctionName,
  functionId: string,
  template: CfnTemplate,
  deployment: Deployment,
): FunctionRole {
  const resolve = (value: unknown) => resolveIntrinsics(value, template, deployment);
  const str = (value: unknown) => resolveString(value, template, deployment);
  const props = template.Resources[functionId]?.Properties ?? {};
  const roleId = (props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const role = template.Resources[roleId]!.Properties ?? {};
  const attachedToRole = (resource: CfnResource) =>
    ((resource.Properties?.Roles as unknown[] | undefined) ?? []).some((r) => refTo(r) === roleId);

  const policies: FunctionRole['policies'] = [];
  for (const arn of (role.ManagedPolicyArns as unknown[] | undefined) ?? []) {
    const id = refTo(arn);
    if (!id) throw new Error(`${fn}: role attaches ${JSON.stringify(arn)}, which this test cannot read`);
    policies.push({ name: id, policy: resolve(template.Resources[id]!.Properties!.PolicyDocument) as never });
  }
  for (const inline of (role.Policies as { PolicyName: string; PolicyDocument: unknown }[] | undefined) ??
    []) {
    policies.push({ name: inline.PolicyName, policy: resolve(inline.PolicyDocument) as never });
  }
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, resource] of resourcesOfType(template, type)) {
      if (attachedToRole(resource)) {
        policies.push({ name: id, policy: resolve(resource.Properties!.PolicyDocument) as never });
      }
    }
  }

  const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
  const arnOf = (value: unknown) => str({ 'Fn::GetAtt': [refTo(value), 'Arn'] });
  const topicId = refTo(env.ALERTS_TOPIC_ARN)!;
  const keyOfTopic = template.Resources[topicId]!.Properties?.KmsMasterKeyId;
  const list = (value: unknown) => (value === undefined ? [] : str(value).split(',').filter(Boolean));
  const world: CallWorld = {
    account: deployment.account,
    region: deployment.region,
    partition: deployment.partition,
    hostedZoneIds: list(env.ALLOWED_HOSTED_ZONE_IDS),
    ownerId: str(env.OWNER_ID),
    allowedNameSuffixes: list(env.ALLOWED_NAME_SUFFIXES),
    // The outbox sweep is not told of the Chains table; what it may do there is still checked.
    chainsTableArn: arnOf(env.CHAINS_TABLE ?? { Ref: streamedTable(template) }),
    statusTableArn: arnOf(env.STATUS_TABLE),
    alertsTopicArn: str(env.ALERTS_TOPIC_ARN),
    // Without the queue in its environment a function cannot send to it: a denied request.
    buildQueueArn:
      env.BUILD_QUEUE_URL === undefined ? 'arn:aws:sqs:::BUILD_QUEUE_URL-unset' : arnOf(env.BUILD_QUEUE_URL),
    buildFailuresQueueArn:
      env.BUILD_FAILURES_QUEUE_URL === undefined ? undefined : arnOf(env.BUILD_FAILURES_QUEUE_URL),
    alertsKeyArn: keyOfTopic === undefined ? undefined : str(keyOfTopic),
  };

  return {
    fn,
    roleArn: `arn:${deployment.partition}:iam::${deployment.account}:role/${physicalName(roleId, deployment)}`,
    policies,
    world,
    platformCalls: platformCalls(functionId, props, template, deployment),
  };
}

/** The Chains table: the one table with a stream. */
function streamedTable(template: CfnTemplate): string {
  const [id] = resourcesOfType(template, 'AWS::DynamoDB::Table').find(
    ([, table]) => table.Properties?.StreamSpecification !== undefined,
  )!;
  return id;
}

/**
 * What the Lambda service does with the function's role, from the template's wiring:
 * - writes the function's logs (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html);
 * - polls an SQS queue (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions);
 * - polls a DynamoDB stream (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#events-dynamodb-permissions);
 * - sends to on-failure destinations and dead-letter queues
 *   (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html,
 *   https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
 */
function platformCalls(
  functionId: string,
  props: Record<string, unknown>,
  template: CfnTemplate,
  deployment: Deployment,
): PlatformCall[] {
  const str = (value: unknown) => resolveString(value, template, deployment);
  const { partition, region, account } = deployment;
  const calls: PlatformCall[] = [];
  const logGroup = (props.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup;
  const groupName = logGroup ? str(logGroup) : `/aws/lambda/${physicalName(functionId, deployment)}`;
  const stream = `arn:${partition}:logs:${region}:${account}:log-group:${groupName}:log-stream:2026/11/25/[$LATEST]0f1e2d3c4b5a`;
  calls.push({ via: 'Lambda logging', action: 'logs:CreateLogStream', resource: stream });
  calls.push({ via: 'Lambda logging', action: 'logs:PutLogEvents', resource: stream });

  const forThisFunction = (resource: CfnResource) => refTo(resource.Properties?.FunctionName) === functionId;
  const destination = (via: string, target: unknown) => {
    if (target === undefined) return;
    const arn = str(target);
    const service = arn.split(':')[2];
    const action = { sqs: 'sqs:SendMessage', sns: 'sns:Publish', lambda: 'lambda:InvokeFunction' }[
      service ?? ''
    ];
    if (!action) throw new Error(`${functionId}: no known permission for destination ${arn}`);
    calls.push({ via, action, resource: arn });
  };
  for (const [, mapping] of resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')) {
    if (!forThisFunction(mapping)) continue;
    const source = str(mapping.Properties!.EventSourceArn);
    if (source.split(':')[2] === 'sqs') {
      // https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions
      for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes']) {
        calls.push({ via: 'Lambda queue polling', action, resource: source });
      }
      continue;
    }
    if (source.split(':')[2] !== 'dynamodb') throw new Error(`${functionId}: unknown event source ${source}`);
    for (const action of ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']) {
      calls.push({ via: 'Lambda stream polling', action, resource: source });
    }
    calls.push({ via: 'Lambda stream polling', action: 'dynamodb:ListStreams', resource: '*' });
    const config = mapping.Properties!.DestinationConfig as
      { OnFailure?: { Destination?: unknown } } | undefined;
    destination('Lambda stream on-failure destination', config?.OnFailure?.Destination);
  }
  for (const [, invokeConfig] of resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')) {
    if (!forThisFunction(invokeConfig)) continue;
    const config = invokeConfig.Properties!.DestinationConfig as
      Record<'OnFailure' | 'OnSuccess', { Destination?: unknown } | undefined> | undefined;
    destination('Lambda async on-failure destination', config?.OnFailure?.Destination);
    destination('Lambda async on-success destination', config?.OnSuccess?.Destination);
  }
  destination(
    'Lambda dead-letter queue',
    (props.DeadLetterConfig as { TargetArn?: unknown } | undefined)?.TargetArn,
  );
  return calls;
}

/** Resource policies by the ARN they govern: topic policies, key policies and queue policies. */
export function resourcePolicies(template: CfnTemplate, deployment: Deployment): Map<string, PolicyDocument> {
  const resolve = (value: unknown) => resolveIntrinsics(value, template, deployment);
  const str = (value: unknown) => resolveString(value, template, deployment);
  const byArn = new Map<string, PolicyDocument>();
  const add = (arn: string, document: unknown) => {
    const policy = resolve(document) as unknown as PolicyDocument;
    const existing = byArn.get(arn);
    byArn.set(
      arn,
      existing ? { ...existing, Statement: [...existing.Statement, ...policy.Statement] } : policy,
    );
  };
  for (const [, policy] of resourcesOfType(template, 'AWS::SNS::TopicPolicy')) {
    for (const topic of policy.Properties!.Topics as unknown[])
      add(str(topic), policy.Properties!.PolicyDocument);
  }
  for (const [, policy] of resourcesOfType(template, 'AWS::SQS::QueuePolicy')) {
    for (const queue of policy.Properties!.Queues as unknown[]) {
      add(str({ 'Fn::GetAtt': [refTo(queue), 'Arn'] }), policy.Properties!.PolicyDocument);
    }
  }
  for (const [id, key] of resourcesOfType(template, 'AWS::KMS::Key')) {
    add(str({ 'Fn::GetAtt': [id, 'Arn'] }), key.Properties!.KeyPolicy);
  }
  return byArn;
}
