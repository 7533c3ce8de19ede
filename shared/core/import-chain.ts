import { applyChanges, compareAnswers, type Counterexample } from './answer-equivalence.ts';
import type { Chain } from './chain.ts';
import { diffContext, diffRecords } from './diff-records.ts';
import { flattenTree, type ImportedRow } from './flatten-tree.ts';
import {
  describeRecordKey,
  readTree,
  recordsOf,
  type ImportProblem,
  type ReadTreeInput,
  type TreePair,
} from './import-tree.ts';
import { planChain } from './plan-records.ts';
import type { RecordChange, ResourceRecordSet } from './route53-types.ts';
import { validateChain } from './validate-chain.ts';
import { formatValidationError } from './validation-error.ts';

// `chains import` without the I/O: read the tree, flatten it, and offer the row only when the
// batch its first reconcile would make leaves every DNS answer as it was, for every
// combination of healthy and unhealthy health checks.

/** What to import, and for which deployment. */
export interface ImportInput extends ReadTreeInput {
  owner: string;
  /** Local mode only: health checks may probe reserved addresses. */
  allowReservedAddresses?: boolean;
}

/** An importable tree: the row, its first reconcile's batch and the proof that it changes no answer. */
export interface ImportOffer {
  ok: true;
  tree: TreePair;
  row: ImportedRow;
  chain: Chain;
  notes: string[];
  changes: RecordChange[];
  proof: { combinations: number; variables: string[] };
}

/** A refusal: every reason, with the record keys, and the tree as far as it was read. */
export interface ImportRefusal {
  ok: false;
  tree?: TreePair;
  problems: ImportProblem[];
  counterexample?: Counterexample;
}

/** Import the failover tree at `input.name`, or say why not. */
export function importChain(input: ImportInput): ImportOffer | ImportRefusal {
  const read = readTree(input);
  const tree = read.tree;
  if (!tree || read.problems.length > 0)
    return { ok: false, ...(tree ? { tree } : {}), problems: read.problems };

  const { row, notes } = flattenTree(tree, input.zone.id);
  const validated = validateChain(row, { allowReservedAddresses: input.allowReservedAddresses ?? false });
  if (!validated.ok) {
    return {
      ok: false,
      tree,
      problems: [
        {
          reason: `the flat chain would not be a valid row: ${validated.errors.map(formatValidationError).join('; ')}`,
          records: [],
        },
      ],
    };
  }
  return proveOffer(
    input,
    tree,
    row,
    validated.chain,
    notes,
    planChain(validated.chain, { owner: input.owner }).records,
  );
}

/**
 * The row `--manage-health-checks` writes (`row`: a tier's `{ "id" }` replaced by that check's
 * settings), proven on its own plan. Each such tier gets a new check with the settings of the one
 * it copies (`copies`: tier id to the hand-made check's id), so once it has data it finds what
 * that check finds; until then reconcile keeps the copied check on the records of a failing tier,
 * because Route 53 counts a new check healthy until it has data. So the row's plan, each new check
 * standing for the check it copies, must answer like the tree for every combination of health.
 */
export function importManaged(
  input: ImportInput,
  offer: ImportOffer,
  row: ImportedRow,
  copies: Readonly<Record<string, string>>,
): ImportOffer | ImportRefusal {
  const validated = validateChain(row, { allowReservedAddresses: input.allowReservedAddresses ?? false });
  if (!validated.ok) {
    return {
      ok: false,
      tree: offer.tree,
      problems: [
        {
          reason: `the row with managed health checks would not be valid: ${validated.errors.map(formatValidationError).join('; ')}`,
          records: [],
        },
      ],
    };
  }
  const planned = planChain(validated.chain, { owner: input.owner, healthCheckIds: copies }).records;
  return proveOffer(input, offer.tree, row, validated.chain, offer.notes, planned);
}

/** Offer `row` only if the batch its first reconcile makes (`planned` against the zone) changes no answer. */
function proveOffer(
  input: ImportInput,
  tree: TreePair,
  row: ImportedRow,
  chain: Chain,
  notes: string[],
  planned: ResourceRecordSet[],
): ImportOffer | ImportRefusal {
  const diff = diffRecords(planned, input.zone.records, diffContext(chain, input.owner));
  if (diff.conflicts.length > 0) {
    return {
      ok: false,
      tree,
      problems: diff.conflicts.map((c) => ({
        reason: `the chain needs ${c.name} ${c.type}, ${c.reason}; it is not part of this tree`,
        records: [describeRecordKey({ Name: c.name, Type: c.type, SetIdentifier: c.setIdentifier })],
      })),
    };
  }
  const after = applyChanges(input.zone.records, diff.changes);
  const proof = compareAnswers(
    input.zone.records,
    after,
    [...recordsOf(tree), ...planned],
    chain.name,
    chain.recordType === 'CNAME' ? 'A' : chain.recordType,
  );
  if (proof.counterexample) {
    const { unhealthy, before, after: then } = proof.counterexample;
    const when =
      unhealthy.length === 0 ? 'with every health check healthy' : `with ${unhealthy.join(', ')} unhealthy`;
    return {
      ok: false,
      tree,
      counterexample: proof.counterexample,
      problems: [
        {
          reason: `no chain answers like this tree: ${when}, Route 53 answers ${before} today, and the flat chain would answer ${then}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
          records: recordsOf(tree).map(describeRecordKey),
        },
      ],
    };
  }
  return {
    ok: true,
    tree,
    row,
    chain,
    notes,
    changes: diff.changes,
    proof: { combinations: proof.combinations, variables: proof.variables },
  };
}
