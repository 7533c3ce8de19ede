import { toFqdn } from '../../shared/core/dns-name.ts';

// ListResourceRecordSets sorts "first by DNS name with the labels reversed, for example
// com.example.www." in ASCII order, trailing dot included (so `a-b.example.com` lists before
// `a.example.com`: '-' sorts before '.'), then by type, then by set identifier.
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html

/** The fields that place a record in list order. */
export type RecordKey = {
  Name?: string | undefined;
  Type?: string | undefined;
  SetIdentifier?: string | undefined;
};

/** A string that sorts as Route 53 lists records (NUL never occurs in a name, so it separates the parts). */
export function listKey(record: RecordKey): string {
  const reversed = `${toFqdn(record.Name!).slice(0, -1).split('.').reverse().join('.')}.`;
  return `${reversed}\u0000${record.Type ?? ''}\u0000${record.SetIdentifier ?? ''}`;
}

/** First index whose key is not below `key`. */
export function lowerBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (keys[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
