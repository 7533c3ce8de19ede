import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** Settings of one Lambda handler. */
export interface HandlerFunctionProps {
  /** File in functions/, without extension, e.g. `chain-stream`. */
  readonly handler: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  /** Default 60 seconds. */
  readonly timeout?: Duration;
  /** Default 512 MB. */
  readonly memorySize?: number;
  /** Default one month. */
  readonly logRetention?: RetentionDays;
  /** Default none (the account's unreserved pool). */
  readonly reservedConcurrentExecutions?: number;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/** esbuild settings shared by the stack and the bundle checks: ESM for Node 22, the SDK bundled in. */
export const BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: true,
  mainFields: ['module', 'main'],
  // Bundle the SDK: the versions tested here are the versions that run, whatever the runtime ships.
  externalModules: [],
  // Some dependencies still call require(); give ESM bundles one.
  banner:
    "import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);",
  forceDockerBundling: false,
} as const;

/** A Lambda handler from functions/, bundled with the project's own esbuild (no Docker). */
export class HandlerFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role with logging scoped to its own log group, instead of AWSLambdaBasicExecutionRole.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `failover-chains ${props.handler} Lambda`,
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    super(scope, id, {
      role,
      entry: `${root}functions/${props.handler}.ts`,
      handler: 'handler',
      projectRoot: root,
      depsLockFilePath: `${root}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(60),
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        ...BUNDLING,
        externalModules: [...BUNDLING.externalModules],
        mainFields: [...BUNDLING.mainFields],
      },
    });
    const runtimeReason =
      'nodejs22.x is the runtime this project targets and tests; move with a tested upgrade, not implicitly.';
    Validations.of(this).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-L1', reason: runtimeReason },
      { id: 'Serverless::Serverless-LambdaLatestVersion', reason: runtimeReason },
      {
        id: 'Serverless::Serverless-LambdaTracing',
        reason:
          'Structured logs and EMF metrics cover what a reconcile does; X-Ray would add a "*" grant and a cost per trace.',
      },
    );
  }
}
