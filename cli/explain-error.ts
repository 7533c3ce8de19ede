import { StackNotFound } from '../shared/aws/stack-outputs.ts';

/** What the CLI knows when something fails, to name the table, stack or region at fault. */
export interface FailureContext {
  region: string | undefined;
  /** The tables in use and the flag and variable that name each. */
  tables?: () => Promise<{ name: string; flag: string; variable: string }[]>;
  /** Which of these tables do not exist (DescribeTable). */
  missingTables?: (names: string[]) => Promise<string[]>;
}

const CREDENTIALS_REJECTED = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'ExpiredToken',
  'ExpiredTokenException',
  'SignatureDoesNotMatch',
]);
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'AuthorizationError']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT']);

/**
 * One line for a failure, saying what to do about it. The SDK's errors a newcomer meets first
 * (no region, no credentials, no table, no permission) are named with the fix; anything else is
 * its name and message, never a stack trace.
 */
export async function explainFailure(error: unknown, context: FailureContext): Promise<string> {
  if (!(error instanceof Error)) return String(error);
  const region = context.region ?? 'your region';
  if (error.message === 'Region is missing') {
    return 'no AWS region set: run with AWS_REGION=us-east-1 (where the stack is deployed), or set a region in your AWS profile';
  }
  if (error.name === 'CredentialsProviderError') {
    return 'no AWS credentials found: sign in (aws sso login, or aws configure), or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  }
  if (CREDENTIALS_REJECTED.has(error.name)) {
    return `AWS rejected your credentials (${error.name}): they have expired or belong to no account here; sign in again`;
  }
  if (ACCESS_DENIED.has(error.name)) {
    const action = /perform: ([\w-]+:\w+)/.exec(error.message)?.[1];
    const resource = /on resource: (\S+)/.exec(error.message)?.[1];
    return action
      ? `access denied: your credentials may not call ${action}${resource ? ` on ${resource}` : ''}; ask for a role that allows it`
      : `access denied (${error.message}); ask for a role that allows this command's AWS calls`;
  }
  if (error.name === 'ResourceNotFoundException') return missingTableMessage(error, context, region);
  if (error instanceof StackNotFound) {
    return `${error.message} in ${region}: check the name (npx cdk list) and AWS_REGION`;
  }
  const code = (error as NodeJS.ErrnoException).code;
  if ((code && UNREACHABLE.has(code)) || error.name === 'TimeoutError') {
    return `cannot reach AWS (${code ?? error.name}): check your network, and AWS_ENDPOINT_URL* if you set one`;
  }
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}

async function missingTableMessage(error: Error, context: FailureContext, region: string): Promise<string> {
  const tables = (await context.tables?.().catch(() => undefined)) ?? [];
  const missing = new Set(
    (await context.missingTables?.(tables.map((table) => table.name)).catch(() => undefined)) ??
      tables.map((table) => table.name),
  );
  const named = tables.filter((table) => missing.has(table.name));
  if (named.length === 0) return `not found in ${region}: ${error.message}`;
  return named
    .map(
      (table) =>
        `table ${table.name} not found in ${region}: pass ${table.flag} or set ${table.variable} to your deployment's table (or --stack NAME to read both from the stack)`,
    )
    .join('\n');
}
