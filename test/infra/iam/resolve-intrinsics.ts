// Turns a synthesised CloudFormation template's values into the strings CloudFormation would give
// them in one test account, so IAM policies can be evaluated as AWS would see them once deployed.
// References follow the CloudFormation template reference's "Return values" of each resource type:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html

/** A synthesised template, as `FailoverChains.template.json` holds it. */
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

/** One resource of a template. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

/** Where the stack is deployed: the account and region `cdk deploy` would use. */
export interface Deployment {
  account: string;
  region: string;
  partition: string;
  stackName: string;
}

/** Something a template value resolves to: a string, a list, or a policy document's objects. */
export type Resolved = string | number | boolean | null | Resolved[] | { [key: string]: Resolved };

/** Resolve every intrinsic function in `value` to concrete strings for `deployment`. */
export function resolveIntrinsics(value: unknown, template: CfnTemplate, deployment: Deployment): Resolved {
  const resolve = (v: unknown): Resolved => resolveIntrinsics(v, template, deployment);
  if (value === null || typeof value !== 'object') return value as Resolved;
  if (Array.isArray(value)) return value.map(resolve);
  const entries = Object.entries(value as Record<string, unknown>);
  const [key, arg] = entries.length === 1 ? entries[0]! : [undefined, undefined];
  switch (key) {
    case 'Ref':
      return ref(String(arg), template, deployment);
    case 'Fn::GetAtt': {
      const [id, attribute] = typeof arg === 'string' ? arg.split('.') : (arg as [string, string]);
      return getAtt(id!, attribute!, template, deployment);
    }
    case 'Fn::Join': {
      const [separator, parts] = arg as [string, unknown[]];
      return parts.map((part) => resolveString(part, template, deployment)).join(separator);
    }
    case 'Fn::Select': {
      const [index, list] = arg as [number | string, unknown];
      return (resolve(list) as Resolved[])[Number(index)]!;
    }
    case 'Fn::Split': {
      const [separator, source] = arg as [string, unknown];
      return resolveString(source, template, deployment).split(separator);
    }
    case 'Fn::Sub': {
      const [text, variables] =
        typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, unknown>]);
      return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
        if (name in variables) return resolveString(variables[name], template, deployment);
        const [id, attribute] = name.split('.');
        return attribute ? getAtt(id!, attribute, template, deployment) : ref(id!, template, deployment);
      });
    }
    default:
      if (key?.startsWith('Fn::')) throw new Error(`cannot resolve ${key}: ${JSON.stringify(arg)}`);
      return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]));
  }
}

/** Resolve a value that must come out as one string (an ARN, a name, a list joined by commas). */
export function resolveString(value: unknown, template: CfnTemplate, deployment: Deployment): string {
  const resolved = resolveIntrinsics(value, template, deployment);
  if (typeof resolved === 'string') return resolved;
  throw new Error(`expected a string, got ${JSON.stringify(resolved)} from ${JSON.stringify(value)}`);
}

/** The physical name CloudFormation would generate for a resource without an explicit name. */
export function physicalName(id: string, deployment: Deployment): string {
  return `${deployment.stackName}-${id}`;
}

function resourceOf(id: string, template: CfnTemplate): CfnResource {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`template has no resource ${id}`);
  return resource;
}

function ref(id: string, template: CfnTemplate, d: Deployment): string {
  const pseudo: Record<string, string> = {
    'AWS::AccountId': d.account,
    'AWS::Region': d.region,
    'AWS::Partition': d.partition,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': d.stackName,
  };
  if (id in pseudo) return pseudo[id]!;
  const { Type: type } = resourceOf(id, template);
  const name = physicalName(id, d);
  switch (type) {
    case 'AWS::SNS::Topic':
      return `arn:${d.partition}:sns:${d.region}:${d.account}:${name}`;
    case 'AWS::SQS::Queue':
      return `https://sqs.${d.region}.amazonaws.com/${d.account}/${name}`;
    case 'AWS::IAM::ManagedPolicy':
      return `arn:${d.partition}:iam::${d.account}:policy/${name}`;
    case 'AWS::KMS::Key':
      return keyId(id);
    case 'AWS::DynamoDB::Table':
    case 'AWS::Logs::LogGroup':
    case 'AWS::IAM::Role':
    case 'AWS::Lambda::Function':
    case 'AWS::Events::Rule':
      return name;
    default:
      throw new Error(`no Ref value known for ${type} (${id})`);
  }
}

function getAtt(id: string, attribute: string, template: CfnTemplate, d: Deployment): string {
  const { Type: type } = resourceOf(id, template);
  const name = physicalName(id, d);
  const arn = (service: string, resource: string, region = d.region) =>
    `arn:${d.partition}:${service}:${region}:${d.account}:${resource}`;
  const attributes: Record<string, Record<string, () => string>> = {
    'AWS::DynamoDB::Table': {
      Arn: () => arn('dynamodb', `table/${name}`),
      StreamArn: () => arn('dynamodb', `table/${name}/stream/2026-11-25T00:00:00.000`),
    },
    'AWS::SNS::Topic': { TopicArn: () => arn('sns', name), TopicName: () => name },
    'AWS::SQS::Queue': { Arn: () => arn('sqs', name), QueueName: () => name },
    'AWS::KMS::Key': { Arn: () => arn('kms', `key/${keyId(id)}`), KeyId: () => keyId(id) },
    // A log group's Arn attribute ends in `:*` (CloudFormation's AWS::Logs::LogGroup return values).
    'AWS::Logs::LogGroup': { Arn: () => arn('logs', `log-group:${name}:*`) },
    'AWS::IAM::Role': { Arn: () => `arn:${d.partition}:iam::${d.account}:role/${name}` },
    'AWS::Lambda::Function': { Arn: () => arn('lambda', `function:${name}`) },
    'AWS::Events::Rule': { Arn: () => arn('events', `rule/${name}`) },
  };
  const value = attributes[type]?.[attribute];
  if (!value) throw new Error(`no Fn::GetAtt ${attribute} known for ${type} (${id})`);
  return value();
}

/** A stable, well-formed key id per key resource. */
function keyId(id: string): string {
  const hex = Buffer.from(id).toString('hex').padEnd(32, '0').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
