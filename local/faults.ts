import { CloudWatchServiceException } from '@aws-sdk/client-cloudwatch';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { PriorRequestNotComplete, Route53ServiceException } from '@aws-sdk/client-route-53';
import { SNSServiceException, ThrottledException } from '@aws-sdk/client-sns';

// Fault injection for a systematic sweep: one FaultPlan is shared by every client of a run, so
// calls are numbered across services in the order they are made. A fault-free run with an empty
// plan counts the calls (`plan.callCount`) and records them (`plan.calls`); a sweep then runs
// once per index with `new FaultPlan([{ at: i, kind }])`. On an SDK client the fault sits beneath
// the SDK's retry strategy, where a real network or service failure would: a throttled attempt
// is retried by the SDK as in AWS, and an applied-but-lost write is sent again.

/** A service the system calls. */
export type Service = 'route53' | 'cloudwatch' | 'sns' | 'dynamodb';

/**
 * What goes wrong: `throttle` (Route 53 and CloudWatch `Throttling` 400, SNS `Throttled` 429,
 * DynamoDB `ThrottlingException`), `prior-request` (Route 53 `PriorRequestNotComplete`; other
 * services throttle), `server-error` (`ServiceUnavailable` 503), `reply-lost` (the call is
 * applied, then the connection resets before the reply), `refused` (`AccessDenied` 403, which
 * no retry strategy retries, so the caller sees it).
 */
export type FaultKind = 'throttle' | 'prior-request' | 'server-error' | 'reply-lost' | 'refused';

/** One planned failure: the `at`-th call (0-based, across all clients) fails `attempts` times (default 1). */
export interface PlannedFault {
  at: number;
  kind: FaultKind;
  attempts?: number;
}

/** One attempt of one call, as the recorder saw it. */
export interface CallRecord {
  /** The call's number across all clients of the plan (retries keep their call's number). */
  index: number;
  service: Service;
  /** The SDK command name, e.g. `ChangeResourceRecordSetsCommand`. */
  command: string;
  /** 1 for the first try, 2 for the SDK's first retry, and so on. */
  attempt: number;
  fault?: FaultKind;
}

/** A shared call counter, recorder and list of faults to inject. */
export class FaultPlan {
  /** Every attempt made through clients wrapped with this plan, in order. */
  readonly calls: CallRecord[] = [];
  private count = 0;

  constructor(private readonly faults: readonly PlannedFault[] = []) {}

  /** Calls made so far (first attempts only: the injection points of a sweep). */
  get callCount(): number {
    return this.count;
  }

  /** The attempts that had a fault injected. */
  get injected(): CallRecord[] {
    return this.calls.filter((call) => call.fault !== undefined);
  }

  /** Number a new call. */
  begin(): number {
    return this.count++;
  }

  /** Record one attempt of call `index` and say which fault, if any, it gets. */
  attempt(index: number, service: Service, command: string, attempt: number): FaultKind | undefined {
    const planned = this.faults.find((f) => f.at === index && attempt <= (f.attempts ?? 1));
    this.calls.push({ index, service, command, attempt, ...(planned ? { fault: planned.kind } : {}) });
    return planned?.kind;
  }
}

/** The error a service sends for a fault kind, shaped like the SDK's own (name, $fault, status). */
export function faultError(service: Service, kind: Exclude<FaultKind, 'reply-lost'>): Error {
  const $metadata = (httpStatusCode: number) => ({ httpStatusCode });
  if (kind === 'refused') {
    return serviceError(
      service,
      'AccessDenied',
      403,
      'client',
      'User is not authorized to perform this action',
    );
  }
  if (kind === 'server-error')
    return serviceError(service, 'ServiceUnavailable', 503, 'server', 'Service unavailable');
  if (service === 'route53' && kind === 'prior-request') {
    return new PriorRequestNotComplete({
      $metadata: $metadata(400),
      message: 'The request was rejected because Route 53 was still processing a prior request.',
    });
  }
  if (service === 'sns')
    return new ThrottledException({ $metadata: $metadata(429), message: 'Rate exceeded' });
  if (service === 'dynamodb')
    return serviceError(service, 'ThrottlingException', 400, 'client', 'Rate exceeded');
  return serviceError(service, 'Throttling', 400, 'client', 'Rate exceeded');
}

/** What the SDK sees when a connection resets after the request was sent. */
export function replyLost(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

function serviceError(
  service: Service,
  name: string,
  status: number,
  $fault: 'client' | 'server',
  message: string,
): Error {
  const options = { name, $fault, $metadata: { httpStatusCode: status }, message };
  if (service === 'route53') return new Route53ServiceException(options);
  if (service === 'cloudwatch') return new CloudWatchServiceException(options);
  if (service === 'sns') return new SNSServiceException(options);
  return new DynamoDBServiceException(options);
}

type Sender = { send: (command: never, ...rest: never[]) => Promise<unknown> };
type SdkClient = Sender & { middlewareStack: { addRelativeTo: (...args: never[]) => void } };
type Handler = (args: unknown) => Promise<unknown>;

async function attemptWith(
  plan: FaultPlan,
  service: Service,
  command: string,
  index: number,
  attempt: number,
  call: () => Promise<unknown>,
): Promise<unknown> {
  const kind = plan.attempt(index, service, command, attempt);
  if (kind === undefined) return call();
  if (kind !== 'reply-lost') throw faultError(service, kind);
  await call();
  throw replyLost();
}

/**
 * Count, record and fail the calls of `client` as `plan` says. An SDK client gets a middleware
 * beneath its retry strategy (it is changed in place and returned); anything else with `send`
 * (a stand-in) is wrapped, one attempt per call.
 */
export function withFaults<C extends Sender>(client: C, service: Service, plan: FaultPlan): C {
  if ('middlewareStack' in client) {
    const middleware = (next: Handler, context: { commandName?: string }) => {
      let index: number | undefined;
      let attempt = 0;
      return (args: unknown) => {
        index ??= plan.begin();
        attempt++;
        return attemptWith(plan, service, context.commandName ?? '?', index, attempt, () => next(args));
      };
    };
    (
      client as SdkClient as unknown as {
        middlewareStack: { addRelativeTo: (m: unknown, o: object) => void };
      }
    ).middlewareStack.addRelativeTo(middleware, {
      name: 'injectFaults',
      relation: 'after',
      toMiddleware: 'retryMiddleware',
    });
    return client;
  }
  const send = (command: object) =>
    attemptWith(plan, service, command.constructor.name, plan.begin(), 1, () =>
      client.send(command as never),
    );
  return Object.assign(Object.create(client) as C, { send });
}
