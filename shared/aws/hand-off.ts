import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import { fromItem } from './dynamodb-json.ts';
import { buildRequest, type BuildQueue, type BuildRequest } from '../reconcile/needs-builder.ts';

/** A stream record's new row, as written (undefined for a removal). */
export function newRowOf(record: DynamoDBRecord): unknown {
  const image = record.dynamodb?.NewImage;
  return image ? fromItem(image as Parameters<typeof fromItem>[0]) : undefined;
}

/**
 * A row inserted with health checks for the system to make: it needs CreateHealthCheck calls, so
 * it goes to the builder at once, decided from the record alone (no AWS call). Anything else is
 * reconciled inline without creating checks, and goes to the builder only if it turns out to need one.
 */
export function isNewWithChecks(record: DynamoDBRecord): boolean {
  if (record.eventName !== 'INSERT') return false;
  const tiers = (newRowOf(record) as { tiers?: unknown } | undefined)?.tiers;
  if (!Array.isArray(tiers)) return false;
  return tiers.some((tier: unknown) => {
    const check = (tier as { healthCheck?: unknown } | null)?.healthCheck;
    return typeof check === 'object' && check !== null && !('id' in check);
  });
}

/** Queue requests for the builder; resolves with the names not queued (all of them if the call failed). */
export async function handOff(queue: BuildQueue, requests: readonly BuildRequest[]): Promise<Set<string>> {
  if (requests.length === 0) return new Set();
  try {
    return new Set(await queue.request(requests));
  } catch {
    return new Set(requests.map((request) => request.name));
  }
}

/**
 * The builder's request for a stream record's chain, identified by the record (its event id, else
 * its sequence number): a retried batch delivers the record again and the queue drops its repeat,
 * while the same row written again is a new record and a new request.
 */
export function requestFor(name: string, record: DynamoDBRecord): BuildRequest {
  return buildRequest(name, record.eventID ?? record.dynamodb?.SequenceNumber ?? randomUUID());
}
