import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { FailoverChainsStack } from './failover-chains-stack.ts';
import { stackConfigFrom } from './stack-config.ts';

/** Build the CDK app with its one stack and cdk-nag's AwsSolutions and Serverless checks; used by `cdk synth` and the tests. */
export function buildApp(props: AppProps = {}, env: { account?: string; region?: string } = {}) {
  const app = new App(props);
  const config = stackConfigFrom((key) => app.node.tryGetContext(key));
  const stack = new FailoverChainsStack(app, 'FailoverChains', {
    config,
    description: 'failover-chains: Route 53 failover of any depth',
    env: { account: env.account, region: env.region ?? 'us-east-1' },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack };
}
