import type { LocalSystem } from './local-system.ts';

/**
 * The variables that point `npx chains` at local mode's DynamoDB Local. AWS_ENDPOINT_URL sends
 * every other AWS client to a closed loopback port, and CHAINS_LOCAL_MODE makes the CLI refuse
 * commands that need Route 53 or CloudWatch (those live inside `npm start`), so nothing run with
 * this environment can reach AWS.
 */
export function localEnvironmentVariables(local: LocalSystem): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: local.dynamodbEndpoint,
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    CHAINS_LOCAL_MODE: '1',
    CHAINS_TABLE: local.world.tables.chains,
    STATUS_TABLE: local.world.tables.status,
  };
}

/** What `npm start -- --interactive` prints for a second terminal. */
export function localEnvironment(local: LocalSystem): string {
  const port = local.dns.address.port;
  const env = Object.entries(localEnvironmentVariables(local))
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  return `  dig @127.0.0.1 -p ${port} resilient-site.example.com        (add +tcp or ANY as you like)
  curl http://$(dig +short @127.0.0.1 -p ${port} resilient-site.example.com | tail -1):${local.tierPort}/
  export ${env}
  npx chains status | history NAME | apply FILE | drain | undrain | pin | unpin | delete
  (reconcile and failback need Route 53 and CloudWatch, which live in this process: type them here)`;
}
