import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  DeleteCheckByHand,
  DeleteRow,
  EditRow,
  BuildByHand,
  Import,
  Failback,
  ToggleEndpoint,
  Wait,
  WriteRow,
  newReal,
  type Real,
} from './commands.ts';
import { ReferenceModel, type RowSpec, type TierSpec } from './reference-model.ts';

// Histories that once broke the whole system, replayed through the model-based test's harness and
// checked against the same reference model and invariants after every step. Each is named for
// what a user saw.

const tier = (id: string, endpoint: number, check = true, threshold: 1 | 3 = 3): TierSpec => ({
  id,
  endpoint,
  check,
  threshold,
});

/** alpha: a probes 11.0.0.1, b probes 12.0.0.2, c (the last tier) answers blind. */
const alpha = (extra: Partial<RowSpec> = {}): RowSpec => ({
  name: 'alpha.example.com',
  tiers: [tier('a', 0), tier('b', 1), tier('c', 2, false)],
  shared: true,
  manual: false,
  drain: [],
  pin: undefined,
  ...extra,
});

async function replay(commands: Iterable<fc.AsyncCommand<ReferenceModel, Real>>): Promise<void> {
  const real = await newReal();
  try {
    await fc.asyncModelRun(() => ({ model: new ReferenceModel(), real }), commands);
  } finally {
    real.system.destroy();
  }
}

describe('histories that broke the whole system', () => {
  it('a second chain joining a failing shared check is told where its traffic goes', async () => {
    await replay([
      new WriteRow(alpha()),
      new ToggleEndpoint(0),
      new WriteRow({ ...alpha(), name: 'bravo.example.com' }),
      new ToggleEndpoint(0),
    ]);
  });

  it('manual failback on shared checks holds the failed tier until chains failback', async () => {
    await replay([
      new WriteRow(alpha({ manual: true })),
      new ToggleEndpoint(0),
      new ToggleEndpoint(0),
      new Wait(1000, true),
      new Failback('alpha.example.com'),
    ]);
  });

  it('a failing tier whose threshold is edited keeps serving from its secondary', async () => {
    await replay([
      new WriteRow(alpha()),
      new ToggleEndpoint(0),
      new EditRow('alpha.example.com', { kind: 'threshold', tier: 0 }),
      new Wait(60, true),
    ]);
  });

  it('a failing tier opting out of shared checks keeps serving from its secondary', async () => {
    await replay([
      new WriteRow(alpha()),
      new ToggleEndpoint(0),
      new EditRow('alpha.example.com', { kind: 'shared' }),
      new Wait(60, false),
    ]);
  });

  it('a row deleted and applied again within five minutes is built again', async () => {
    await replay([
      new WriteRow(alpha()),
      new DeleteRow('alpha.example.com'),
      new WriteRow(alpha()),
      new Wait(60, false),
    ]);
  });

  it('an edit rolled back within five minutes serves the row rolled back to', async () => {
    await replay([
      new WriteRow(alpha()),
      new EditRow('alpha.example.com', { kind: 'threshold', tier: 0 }),
      new EditRow('alpha.example.com', { kind: 'threshold', tier: 0 }),
      new Wait(60, false),
    ]);
  });

  it('a shared check deleted by hand while its endpoint is down: status names what Route 53 serves', async () => {
    await replay([
      new WriteRow({ ...alpha(), tiers: [tier('c', 3, true), tier('a', 0, false)] }),
      new ToggleEndpoint(3),
      new DeleteCheckByHand(0),
      new ToggleEndpoint(0),
    ]);
  });

  it('a tree built by hand and failed over today, imported: status names the tier Route 53 serves', async () => {
    await replay([
      new BuildByHand({ ...alpha(), tiers: [tier('c', 0), tier('d', 0, false)] }),
      new ToggleEndpoint(0),
      new Import('alpha.example.com', false),
    ]);
  });

  it('a failed-over tree imported with --manage-health-checks: status names the tier Route 53 serves', async () => {
    await replay([
      new BuildByHand({ ...alpha(), tiers: [tier('c', 2), tier('a', 0, false)] }),
      new ToggleEndpoint(2),
      new Import('alpha.example.com', true),
    ]);
  });

  // Open: Route 53 keeps answering the last tier though the new first tier is healthy (found by
  // `npm run explore`, seed 1411542415); expected to fail until fixed.
  it.fails(
    'a failed first tier replaced by a new tier on a healthy endpoint serves the new tier',
    async () => {
      await replay([
        new WriteRow({ ...alpha(), tiers: [tier('a', 1), tier('c', 0, false)] }),
        new ToggleEndpoint(1),
        new WriteRow({ ...alpha(), tiers: [tier('d', 0), tier('c', 0, false)] }),
      ]);
    },
  );
});
