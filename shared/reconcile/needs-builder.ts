import { fingerprint } from '../core/chain-status.ts';

/**
 * A reconcile run with `createChecks: false` reached a CreateHealthCheck: it stops before any
 * write for that check, and the chain goes to the builder, the one paced creator of checks.
 */
export class NeedsBuilder extends Error {
  override name = 'NeedsBuilder';
  constructor(readonly chain: string) {
    super(`${chain} needs a new health check: handed to the builder`);
  }
}

/**
 * One chain for the builder: its name, and an id unique to the event that asked for it. An SQS
 * FIFO queue accepts and drops a message whose deduplication id it saw in the last 5 minutes, even
 * after the first was received and deleted; so the id must not repeat for a distinct request (the
 * same row applied again, an edit rolled back, a check deleted by hand twice). Only a redelivery of
 * the same event is dropped; any other repeat is harmless, since reconcile is idempotent.
 */
export interface BuildRequest {
  name: string;
  deduplicationId: string;
}

/** Where chains that need new health checks wait for the builder. */
export interface BuildQueue {
  /** Queue the requests in order; resolves with the names that could not be queued. */
  request(requests: readonly BuildRequest[]): Promise<string[]>;
}

/**
 * The builder's request for a chain, asked for by one event: a stream record's event id, an alarm
 * event's id, a full run's id. Hashed, so any id fits SQS's 128 characters.
 */
export function buildRequest(name: string, eventId: string): BuildRequest {
  return { name, deduplicationId: `${fingerprint(name)}-${fingerprint(eventId)}` };
}

/** A message on the build queue that is not a build request, as the builder received it. */
export interface UnreadableMessage {
  messageId: string;
  body: string;
}

/** The build queue's dead-letter queue: where the builder parks a message it can never read. */
export interface BuildFailures {
  park(message: UnreadableMessage): Promise<void>;
}

/**
 * What the builder sends to: its own queue, to queue again at the back a chain that must wait,
 * and its failures queue. Without one, the message stays in the queue as a failed item.
 */
export interface BuilderQueues {
  requests?: BuildQueue;
  failures?: BuildFailures;
}
