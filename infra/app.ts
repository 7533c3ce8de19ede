import { buildApp } from './build-app.ts';
import { StackConfigError } from './stack-config.ts';

// `npx cdk deploy -c hostedZoneIds=Z123,Z456 -c alertEmail=...` (or the values in cdk.context.json).
try {
  const { app } = buildApp(
    {},
    {
      ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}),
      ...(process.env.CDK_DEFAULT_REGION ? { region: process.env.CDK_DEFAULT_REGION } : {}),
    },
  );
  app.synth();
} catch (error) {
  // A bad setting is the user's to fix: say which, without a stack trace. Anything else is a bug.
  if (!(error instanceof StackConfigError)) throw error;
  console.error(error.message);
  // Exit now: under the CDK CLI the app would otherwise synthesise what it built so far on exit.
  process.exit(1);
}
