import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Stack } from 'aws-cdk-lib';
import { Duration, type CfnElement } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { API_CALLS, FUNCTIONS } from './iam/api-calls.ts';
import { decide, type IamRequest } from './iam/evaluate.ts';
import {
  functionRole,
  resourcePolicies,
  type FunctionRole,
  type PolicyDocument,
} from './iam/function-roles.ts';
import type { CfnTemplate, Deployment } from './iam/resolve-intrinsics.ts';

// The checks the README promises (cdk-nag's two packs, the IAM evaluation, the operations topic
// reachable by this account's alarms only) are only worth something if they fail when the stack
// is wrong: each test here breaks the stack or its policies on purpose and expects the check to say so.

const ACCOUNT = '123456789012';
const context = {
  hostedZoneIds: 'Z111AAA',
  alertEmail: 'ops@example.com',
  'aws:cdk:bundling-stacks': [],
};
const deployment: Deployment = {
  account: ACCOUNT,
  region: 'us-east-1',
  partition: 'aws',
  stackName: 'FailoverChains',
};

function synthesise(mutate?: (stack: Stack) => void) {
  const outdir = mkdtempSync(join(tmpdir(), 'fc-mutation-'));
  const { app, stack } = buildApp({ context, outdir }, { account: ACCOUNT, region: 'us-east-1' });
  mutate?.(stack);
  let error: Error | undefined;
  try {
    app.synth();
  } catch (caught) {
    error = caught as Error;
  }
  const template = JSON.parse(readFileSync(join(outdir, stack.templateFile), 'utf8')) as CfnTemplate;
  return { stack, template, error };
}

describe('cdk-nag', () => {
  it('fails the synth on a Serverless-pack finding nobody acknowledged', () => {
    const { error } = synthesise((stack) => {
      // An EventBridge target without a dead-letter queue: only the Serverless pack checks this.
      new Rule(stack, 'Probe', {
        schedule: Schedule.rate(Duration.hours(1)),
        targets: [new LambdaFunction(stack.node.findChild('Resync') as IFunction)],
      });
    });
    expect(error?.message).toMatch(/Serverless-EventBusDLQ/);
  }, 60_000);
});

describe('the call-by-call IAM evaluation', () => {
  let roles: FunctionRole[];
  let byArn: Map<string, PolicyDocument>;
  beforeAll(() => {
    const { stack, template } = synthesise();
    roles = FUNCTIONS.map((fn) =>
      functionRole(
        fn,
        stack.getLogicalId(stack.node.findChild(fn).node.defaultChild as CfnElement),
        template,
        deployment,
      ),
    );
    byArn = resourcePolicies(template, deployment);
  }, 60_000);

  const requestsOf = (role: FunctionRole): IamRequest[] => [
    ...API_CALLS.filter((call) => call.functions.includes(role.fn)).flatMap((call) =>
      call.resources(role.world).flatMap((resource) =>
        (call.contexts?.(role.world) ?? [undefined]).map((callContext) => ({
          via: call.via,
          action: call.action,
          resource,
          ...(callContext ? { context: callContext } : {}),
        })),
      ),
    ),
    ...role.platformCalls,
  ];
  const denied = async (role: FunctionRole) => {
    const refused: string[] = [];
    for (const request of requestsOf(role)) {
      if ((await decide(role, request, byArn.get(request.resource))) !== 'Allowed') {
        refused.push(`${request.action} ${request.resource}`);
      }
    }
    return refused;
  };
  const without = (role: FunctionRole, sid: string): FunctionRole => ({
    ...role,
    policies: role.policies.map(({ name, policy }) => ({
      name,
      policy: { ...policy, Statement: policy.Statement.filter((s) => s.Sid !== sid) },
    })),
  });

  it('allows every call of the unchanged stack (the baseline the mutations are measured against)', async () => {
    for (const role of roles) expect(await denied(role)).toEqual([]);
  });

  it.each([
    ['ReadAlarms', 'cloudwatch:DescribeAlarms'],
    ['ScanTables', 'dynamodb:Scan'],
    ['EncryptAlerts', 'kms:GenerateDataKey'],
    ['ChangeChainRecords', 'route53:ChangeResourceRecordSets'],
  ])('reports the calls denied once statement %s is removed', async (sid, action) => {
    const resync = roles.find((role) => role.fn === 'Resync')!;
    const refused = await denied(without(resync, sid));
    expect(refused.some((line) => line.startsWith(`${action} `))).toBe(true);
  });

  it('reports a denied on-failure destination once the alarm handler may no longer send to its queue', async () => {
    const alarm = roles.find((role) => role.fn === 'HealthAlarm')!;
    const mutated: FunctionRole = {
      ...alarm,
      policies: alarm.policies.map(({ name, policy }) => ({
        name,
        policy: { ...policy, Statement: policy.Statement.filter((s) => s.Action !== 'sqs:SendMessage') },
      })),
    };
    expect((await denied(mutated)).some((line) => line.startsWith('sqs:SendMessage '))).toBe(true);
  });
});

describe('the operations topic and its key', () => {
  let byArn: Map<string, PolicyDocument>;
  let topicArn: string;
  let keyArn: string;
  beforeAll(() => {
    const { template } = synthesise();
    byArn = resourcePolicies(template, deployment);
    topicArn = [...byArn.keys()].find((arn) => arn.includes(':sns:') && arn.includes('Operations'))!;
    keyArn = [...byArn.keys()].find((arn) => arn.includes(':kms:'))!;
  }, 60_000);

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
  // (confused deputy: CloudWatch sends aws:SourceArn = the alarm's ARN and aws:SourceAccount) and
  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
  const asCloudWatch = async (action: string, resource: string, sourceArn: string, sourceAccount: string) => {
    const result = await runSimulation(
      {
        request: {
          principal: 'cloudwatch.amazonaws.com',
          action,
          resource: { resource, accountId: ACCOUNT },
          contextVariables: {
            'aws:SourceArn': sourceArn,
            'aws:SourceAccount': sourceAccount,
            'aws:SecureTransport': 'true',
          },
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: byArn.get(resource)!,
      },
      {},
    );
    if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
    return result.overallResult;
  };
  const ourAlarm = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:FailoverChains-ChainStreamErrors-ABC`;
  const theirAlarm = 'arn:aws:cloudwatch:us-east-1:999988887777:alarm:theirs';

  it('lets an alarm of this account publish, and use the key', async () => {
    expect(topicArn).toBeDefined();
    expect(await asCloudWatch('sns:Publish', topicArn, ourAlarm, ACCOUNT)).toBe('Allowed');
    expect(await asCloudWatch('kms:GenerateDataKey', keyArn, ourAlarm, ACCOUNT)).toBe('Allowed');
    expect(await asCloudWatch('kms:Decrypt', keyArn, ourAlarm, ACCOUNT)).toBe('Allowed');
  });

  it("refuses another account's alarm", async () => {
    expect(await asCloudWatch('sns:Publish', topicArn, theirAlarm, '999988887777')).not.toBe('Allowed');
    expect(await asCloudWatch('kms:GenerateDataKey', keyArn, theirAlarm, '999988887777')).not.toBe('Allowed');
  });
});
