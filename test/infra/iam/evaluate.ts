import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { CallContext } from './api-calls.ts';
import type { FunctionRole, PolicyDocument } from './function-roles.ts';

/** One request a function's role makes: an action on one resource with the condition keys it sends. */
export interface IamRequest {
  readonly via: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: CallContext;
}

/** IAM's decision on one request. */
export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

// A resource such as `arn:...:alarm:*` is what IAM literally sees for DescribeAlarms with a prefix:
// a policy's `*` matches its asterisk, a policy's `alarm:failover-chains/blue/*` does not. The
// simulator reads an asterisk in a request as "some resource like this", so the literal asterisk is
// handed to it as a character no policy here spells out.
const LITERAL_ASTERISK = '\u2217';

/** Evaluate one request with the role's identity policies and the resource's own policy, as AWS would. */
export async function decide(
  role: FunctionRole,
  request: IamRequest,
  resourcePolicy: PolicyDocument | undefined,
  identityPolicies: FunctionRole['policies'] = role.policies,
): Promise<Decision> {
  const { account, region } = role.world;
  const roleName = role.roleArn.split('/').pop()!;
  const simulation: Simulation = {
    request: {
      principal: `arn:${role.world.partition}:sts::${account}:assumed-role/${roleName}/${role.fn}`,
      action: request.action,
      resource: {
        resource: request.resource === '*' ? '*' : request.resource.replaceAll('*', LITERAL_ASTERISK),
        accountId: account,
      },
      contextVariables: {
        // The SDK always calls over TLS; topic and queue policies deny anything else.
        'aws:SecureTransport': 'true',
        'aws:PrincipalAccount': account,
        'aws:PrincipalArn': role.roleArn,
        'aws:RequestedRegion': region,
        ...(request.context as Record<string, string | string[]> | undefined),
      },
    },
    identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy } : {}),
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') {
    throw new Error(
      `${role.fn} ${request.action} on ${request.resource} could not be simulated: ${JSON.stringify(response.errors)}`,
    );
  }
  return response.overallResult;
}
