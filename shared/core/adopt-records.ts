import type { AdoptedRecordKey } from './chain.ts';
import type { ChainRow } from './chain-schema.ts';
import { hostnameProblem, normalizeName, toFqdn } from './dns-name.ts';
import type { ResourceRecordSet } from './route53-types.ts';
import { parseSetIdentifier } from './set-identifier.ts';
import { describeValue, formatPath, type ValidationError } from './validation-error.ts';

// An imported row lists the hand-made records its first reconcile may replace (`adopt`). The
// list is spent by Route 53 itself: once any record of the chain's own exists, the chain has
// been built, the adopted records are gone (one atomic batch replaced them), and from then on
// every foreign record at the chain's names is a CONFLICT again. The row stays the user's.

/** Normalise the row's `adopt` list, adding an error for each bad entry. */
export function readAdoptList(
  raw: NonNullable<ChainRow['adopt']>,
  errors: ValidationError[],
): AdoptedRecordKey[] {
  const add = (path: (string | number)[], message: string) =>
    errors.push({ path: formatPath(['adopt', ...path]), message });
  const seen = new Map<string, number>();
  return raw.map((entry, index) => {
    const name = normalizeName(entry.name);
    const problem = hostnameProblem(name);
    if (problem) add([index, 'name'], `must be a host name: ${problem}`);
    const key = adoptedKey({ ...entry, name });
    const first = seen.get(key);
    if (first !== undefined) add([index], `repeats adopt[${first}]; list each record once`);
    else seen.set(key, index);
    if (parseSetIdentifier(entry.setIdentifier) !== undefined) {
      add(
        [index, 'setIdentifier'],
        `names a record failover-chains made (got ${describeValue(entry.setIdentifier)}); only hand-made records can be adopted`,
      );
    }
    return entry.setIdentifier === undefined
      ? { name, type: entry.type }
      : { name, type: entry.type, setIdentifier: entry.setIdentifier };
  });
}

/** The same identity `recordKey` gives a record set, for an adopted key. */
export function adoptedKey(key: AdoptedRecordKey): string {
  return `${toFqdn(key.name)}|${key.type}|${key.setIdentifier ?? ''}`;
}

/** The adoption entry a record set matches, for writing an `adopt` list from records. */
export function adoptedKeyOf(record: ResourceRecordSet): AdoptedRecordKey {
  const name = normalizeName(record.Name);
  return record.SetIdentifier === undefined
    ? { name, type: record.Type }
    : { name, type: record.Type, setIdentifier: record.SetIdentifier };
}
