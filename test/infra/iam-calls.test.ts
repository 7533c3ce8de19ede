import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
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

// Proves IAM call by call: every AWS call each Lambda can make (api-calls.ts, plus what the Lambda
// service does with the role) is evaluated against that function's synthesised role policies with a
// real IAM policy evaluator, and every grant must be needed by at least one of those calls.

const ACCOUNT = '123456789012';
const context = {
  hostedZoneIds: 'Z111AAA,Z222BBB',
  allowedNameSuffixes: 'example.com',
  alertEmail: 'ops@example.com',
  ownerId: 'blue',
  // The handlers' bundles are checked in stack.test.ts; IAM needs only the template.
  'aws:cdk:bundling-stacks': [],
};

/** Every request one function makes: the code's calls from the table and the platform's calls. */
function requestsOf(role: FunctionRole): IamRequest[] {
  const fromCode = API_CALLS.filter((call) => call.functions.includes(role.fn)).flatMap((call) =>
    call.resources(role.world).flatMap((resource) =>
      (call.contexts?.(role.world) ?? [undefined]).map((callContext) => ({
        via: call.via,
        action: call.action,
        resource,
        ...(callContext ? { context: callContext } : {}),
      })),
    ),
  );
  return [...fromCode, ...role.platformCalls];
}

const asList = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());

describe('the call table', () => {
  it('lists every command the adapters send, and only those', () => {
    const dir = new URL('../../shared/aws/', import.meta.url);
    const sent = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      for (const match of readFileSync(new URL(file, dir), 'utf8').matchAll(/new (\w+Command)\(/g)) {
        sent.add(match[1]!);
      }
    }
    const listed = new Set(API_CALLS.map((call) => call.command));
    expect([...sent].filter((command) => !listed.has(command)).sort()).toEqual([]);
    expect([...listed].filter((command) => !sent.has(command)).sort()).toEqual([]);
  });
});

describe.each([
  {
    name: 'as `cdk deploy` synthesises it (account and region set)',
    env: { account: ACCOUNT, region: 'us-east-1' },
  },
  { name: 'synthesised without an account', env: {} },
])('the stack $name', ({ env }) => {
  let synthError: Error | undefined;
  let roles: FunctionRole[];
  let byArn: Map<string, PolicyDocument>;

  beforeAll(() => {
    const outdir = mkdtempSync(join(tmpdir(), 'fc-iam-'));
    const { app, stack } = buildApp({ context, outdir }, env);
    try {
      // Runs cdk-nag, which throws on an unacknowledged finding after writing the template.
      app.synth();
    } catch (error) {
      synthError = error as Error;
    }
    const template = JSON.parse(readFileSync(join(outdir, stack.templateFile), 'utf8')) as CfnTemplate;
    const deployment: Deployment = {
      account: ACCOUNT,
      region: 'us-east-1',
      partition: 'aws',
      stackName: stack.stackName,
    };
    roles = FUNCTIONS.map((fn) =>
      functionRole(
        fn,
        stack.getLogicalId(stack.node.findChild(fn).node.defaultChild as CfnElement),
        template,
        deployment,
      ),
    );
    byArn = resourcePolicies(template, deployment);
  }, 120_000);

  it('passes cdk-nag (AwsSolutions)', () => {
    expect(synthError?.message ?? 'no findings').toBe('no findings');
  });

  it('allows every call each Lambda makes', async () => {
    const denied: string[] = [];
    let evaluated = 0;
    for (const role of roles) {
      for (const request of requestsOf(role)) {
        evaluated += 1;
        const decision = await decide(role, request, byArn.get(request.resource));
        if (decision !== 'Allowed') {
          denied.push(`${role.fn}: ${request.action} on ${request.resource} (${request.via}) is ${decision}`);
        }
      }
    }
    expect(evaluated).toBeGreaterThan(60);
    expect(denied).toEqual([]);
  });

  it('refuses what no chain of this deployment may do', async () => {
    const zone = 'arn:aws:route53:::hostedzone/Z111AAA';
    const change = (names: string[], type: string, resource = zone): IamRequest => ({
      via: 'outside the deployment',
      action: 'route53:ChangeResourceRecordSets',
      resource,
      context: {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': names,
        'route53:ChangeResourceRecordSetsRecordTypes': [type],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      },
    });
    const otherAlarm = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:someone-else/alarm`;
    for (const role of roles) {
      const refused: IamRequest[] = [
        change(['www.example.org'], 'CNAME'),
        change(['www.example.com', 'mail.example.net'], 'A'),
        change(['www.example.com'], 'TXT'),
        change(['www.example.com'], 'CNAME', 'arn:aws:route53:::hostedzone/Z999ZZZ'),
        { via: 'outside the deployment', action: 'cloudwatch:PutMetricAlarm', resource: otherAlarm },
        { via: 'outside the deployment', action: 'cloudwatch:DeleteAlarms', resource: otherAlarm },
        { via: 'outside the deployment', action: 'dynamodb:PutItem', resource: role.world.chainsTableArn },
        { via: 'outside the deployment', action: 'kms:Decrypt', resource: role.world.alertsKeyArn! },
      ];
      for (const request of refused) {
        const decision = await decide(role, request, byArn.get(request.resource));
        expect(
          decision,
          `${role.fn}: ${request.action} on ${request.resource} ${JSON.stringify(request.context)}`,
        ).not.toBe('Allowed');
      }
    }
  });

  it('grants nothing that no call needs', async () => {
    const unneeded: string[] = [];
    for (const role of roles) {
      const requests = requestsOf(role);
      for (const { name, policy } of role.policies) {
        for (const statement of policy.Statement.filter((s) => s.Effect === 'Allow')) {
          expect(
            statement.NotAction ?? statement.NotResource,
            `${name} uses NotAction/NotResource`,
          ).toBeUndefined();
          for (const action of asList(statement.Action)) {
            for (const resource of asList(statement.Resource)) {
              const grant = { ...statement, Action: action, Resource: resource };
              const only = [{ name, policy: { Version: '2012-10-17', Statement: [grant] } }];
              const service = action.split(':')[0];
              let needed = false;
              for (const request of requests.filter((r) => r.action.split(':')[0] === service)) {
                if ((await decide(role, request, byArn.get(request.resource), only)) === 'Allowed') {
                  needed = true;
                  break;
                }
              }
              if (!needed)
                unneeded.push(
                  `${role.fn}: ${action} on ${resource} (${name}${statement.Sid ? ` ${statement.Sid}` : ''})`,
                );
            }
          }
        }
      }
    }
    expect(unneeded).toEqual([]);
  });
});
