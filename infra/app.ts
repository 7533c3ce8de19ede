import { buildApp } from './build-app.ts';

// `npx cdk synth` / `npx cdk deploy -c hostedZoneIds=Z123,Z456 [-c alertEmail=...]`.
const { app } = buildApp(
  {},
  {
    ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}),
    ...(process.env.CDK_DEFAULT_REGION ? { region: process.env.CDK_DEFAULT_REGION } : {}),
  },
);
app.synth();
