import * as cloudwatchSdk from '@aws-sdk/client-cloudwatch';
import * as route53Sdk from '@aws-sdk/client-route-53';
import * as snsSdk from '@aws-sdk/client-sns';
import { clientRetryConfig, type RetryOptions } from '../shared/aws/retry-strategy.ts';

// Local mode and tests reach the stand-ins through real SDK clients, so every call goes through
// the same middleware as in AWS (serialisation, the retry strategy, error classification): only
// the last hop, the HTTP request, is replaced by the stand-in's answer. A throttled call is then
// retried exactly as it would be against AWS.

/** Anything that answers SDK command objects. */
export interface CommandTarget {
  send(command: object): Promise<unknown>;
}

type CommandClass = new (input: object) => object;
type Handler = (args: { input: object }) => Promise<{ output: unknown; response: unknown }>;

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** How the local SDK clients retry: the SDK's strategy with a 1 ms wait, 4 attempts a call by default. */
export const LOCAL_RETRY: RetryOptions = { maxAttempts: 4, fixedDelayMs: 1 };

/** Route the last hop of an SDK client's calls to a stand-in, beneath the retry strategy. */
export function answerWith<C extends { middlewareStack: { addRelativeTo: (...args: never[]) => void } }>(
  client: C,
  target: CommandTarget,
  commands: object,
): C {
  const classes = commands as Record<string, CommandClass | undefined>;
  const middleware =
    (_next: unknown, context: { commandName?: string }): Handler =>
    async (args) => {
      const Command = classes[context.commandName ?? ''];
      if (!Command) throw new Error(`No SDK command named ${context.commandName ?? '?'}`);
      const output = await target.send(new Command(args.input));
      return { output: { ...(output as object), $metadata: {} }, response: {} };
    };
  (client.middlewareStack as unknown as { addRelativeTo: (m: unknown, o: object) => void }).addRelativeTo(
    middleware,
    { name: 'answerWithStandIn', relation: 'before', toMiddleware: 'deserializerMiddleware' },
  );
  return client;
}

/** A Route 53 SDK client whose calls the stand-in answers. */
export function route53Client(
  target: CommandTarget,
  retry: RetryOptions = LOCAL_RETRY,
): route53Sdk.Route53Client {
  const client = new route53Sdk.Route53Client({
    region: 'us-east-1',
    credentials,
    ...clientRetryConfig(retry),
  });
  return answerWith(client, target, route53Sdk);
}

/** A CloudWatch SDK client whose calls the stand-in answers. */
export function cloudWatchClient(
  target: CommandTarget,
  retry: RetryOptions = LOCAL_RETRY,
): cloudwatchSdk.CloudWatchClient {
  const client = new cloudwatchSdk.CloudWatchClient({
    region: 'us-east-1',
    credentials,
    ...clientRetryConfig(retry),
  });
  return answerWith(client, target, cloudwatchSdk);
}

/** An SNS SDK client whose calls the stand-in answers. */
export function snsClient(target: CommandTarget, retry: RetryOptions = LOCAL_RETRY): snsSdk.SNSClient {
  const client = new snsSdk.SNSClient({ region: 'us-east-1', credentials, ...clientRetryConfig(retry) });
  return answerWith(client, target, snsSdk);
}
