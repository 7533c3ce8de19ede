import { describe, expect, it } from 'vitest';
import { newStatus, type ChainStatus } from '../../shared/core/chain-status.ts';
import { FLAP_DEFAULTS } from '../../shared/core/flap-guard.ts';
import type { AlarmReading } from '../../shared/core/tier-health.ts';
import { planChain } from '../../shared/core/plan-records.ts';
import type { ResourceRecordSet } from '../../shared/core/route53-types.ts';
import { validateChain } from '../../shared/core/validate-chain.ts';
import {
  decideBuild,
  decideChain,
  decideInSync,
  decideRecords,
  type Build,
  type ChainDecision,
  type ChainSeen,
} from '../../shared/reconcile/decide-chain.ts';
import { chainOf, seedRow } from '../fixtures/chains.ts';

const AT = '2026-11-25T12:00:00.000Z';
const NAME = 'resilient-site.example.com';
const IDS = { primary: 'hc-primary', secondary: 'hc-secondary' };

type Seen = Partial<ChainSeen> & { observed?: readonly ResourceRecordSet[] };

const valid = (row: unknown) => ({ ok: true as const, chain: chainOf(row) });

/** Both pure steps, as reconcile takes them: from status and the row, then from Route 53's records. */
function decide({ observed = [], ...overrides }: Seen = {}): ChainDecision {
  const first = decideChain({
    name: NAME,
    status: newStatus(NAME, AT),
    known: false,
    row: valid(seedRow()),
    zoneHint: undefined,
    at: AT,
    ...overrides,
  });
  return first.kind === 'valid' ? decideBuild(first, observed, 'default', AT) : first;
}

function build(seen: Seen = {}): Build {
  const decision = decide(seen);
  if (decision.kind !== 'build') throw new Error(`expected a build, got ${decision.kind}`);
  return decision;
}

/** The status a chain has once the seed was built: its controls and serving tier recorded. */
function builtStatus(extra: Partial<ChainStatus> = {}): ChainStatus {
  return {
    ...newStatus(NAME, AT),
    revision: 3,
    state: 'IN_SYNC',
    applied: chainOf(seedRow()),
    servingTier: 'primary',
    controls: { drain: [], failback: 'auto' },
    ...extra,
  };
}

describe('the decision of one reconcile (pure)', () => {
  it('does nothing for a row never seen, and tears down a known chain or one a REMOVE names', () => {
    expect(decide({ row: undefined }).kind).toBe('absent');
    expect(decide({ row: undefined, known: true }).kind).toBe('teardown');
    expect(decide({ row: undefined, zoneHint: 'Z0123456789EXAMPLE' }).kind).toBe('teardown');
  });

  it('stops an invalid row with each field, what was wrong, and one alert saying so', () => {
    const result = validateChain({ ...seedRow(), ttl: -1 });
    if (result.ok) throw new Error('expected the ttl to be refused');
    const decision = decide({ row: result });
    expect(decision).toMatchObject({ kind: 'stop', state: 'INVALID', alert: { event: 'CHAIN_INVALID' } });
    if (decision.kind !== 'stop') return;
    expect(decision.messages).toEqual([expect.stringMatching(/^ttl: /)]);
    expect(JSON.stringify(decision.alert)).toContain(decision.messages[0]!);
  });

  it('refuses a new drain that leaves only failing tiers, and allows it with force', () => {
    const row = {
      ...seedRow(),
      drain: ['primary'],
      tiers: seedRow().tiers.map((tier, index) =>
        index === 2 ? { ...tier, healthCheck: { type: 'HTTPS', path: '/health' } } : tier,
      ),
    };
    const status = builtStatus({ tierHealth: { secondary: 'unhealthy', tertiary: 'unhealthy' } });
    const decision = decide({ status, known: true, row: valid(row) });
    expect(decision).toMatchObject({ kind: 'stop', state: 'INVALID' });
    if (decision.kind === 'stop')
      expect(decision.messages[0]).toMatch(/^drain: leaves no healthy tier serving/);
    const forced = chainOf({ ...row, force: true });
    expect(decide({ status, known: true, row: { ok: true, chain: forced } }).kind).toBe('build');
  });

  it('stops on a record at the chain name that the system did not make, before creating anything', () => {
    const theirs: ResourceRecordSet = {
      Name: `${NAME}.`,
      Type: 'CNAME',
      TTL: 300,
      ResourceRecords: [{ Value: 'someone-else.example.net' }],
    };
    const decision = decide({ observed: [theirs] });
    expect(decision).toMatchObject({ kind: 'stop', state: 'CONFLICT', alert: { event: 'CONFLICT' } });
    if (decision.kind === 'stop') expect(decision.messages[0]).toContain(`${NAME}. CNAME`);
  });

  it('builds a new chain: the preview creates its four records, before any check exists', () => {
    const { preview, held, controlChanges } = build();
    expect(preview.map((change) => change.Action)).toEqual(['CREATE', 'CREATE', 'CREATE', 'CREATE']);
    expect(held).toEqual([]);
    expect(controlChanges).toEqual([]);
  });

  it('keeps held tiers only while failback is manual and the tier still exists', () => {
    const status = builtStatus({ heldTiers: ['primary', 'gone'] });
    const manual = chainOf({ ...seedRow(), failback: 'manual' });
    expect(build({ status, known: true, row: { ok: true, chain: manual } }).held).toEqual(['primary']);
    expect(build({ status, known: true }).held).toEqual([]);
  });

  it('plans records on the checks made, and nothing to change once Route 53 holds them', () => {
    const chain = chainOf(seedRow());
    const { plan, changes } = decideRecords(build(), IDS, [], 'default');
    expect(plan.records.flatMap((r) => r.HealthCheckId ?? [])).toEqual(['hc-primary', 'hc-secondary']);
    expect(changes).toHaveLength(4);
    const live = planChain(chain, { owner: 'default', healthCheckIds: IDS }).records;
    expect(decideRecords(build({ observed: live }), IDS, live, 'default').changes).toEqual([]);
  });

  it('ends in sync, announcing a drain with what serves now, and a plain rebuild quietly', () => {
    const records = planChain(chainOf(seedRow()), { owner: 'default', healthCheckIds: IDS }).records;
    const status = builtStatus();
    const applied = (records: readonly ResourceRecordSet[], readings = new Map<string, AlarmReading>()) => ({
      records,
      checks: IDS,
      readings,
    });
    const extra = { owner: 'default', at: AT, flap: FLAP_DEFAULTS };
    const quiet = decideInSync(build({ status, known: true }), status, status, applied(records), extra);
    expect(quiet.next).toMatchObject({ state: 'IN_SYNC', servingTier: 'primary' });
    expect(quiet.outbox).toEqual([]);

    const drained = chainOf({ ...seedRow(), drain: ['primary'], changedBy: 'ops@example.com' });
    const drainedRecords = planChain(drained, { owner: 'default', healthCheckIds: IDS }).records;
    const next = decideInSync(
      build({ status, known: true, row: { ok: true, chain: drained } }),
      status,
      status,
      applied(drainedRecords),
      extra,
    );
    expect(next.next).toMatchObject({ state: 'IN_SYNC', servingTier: 'secondary' });
    expect(next.next.records).toHaveLength(drainedRecords.length);
    expect(next.outbox).toHaveLength(1);
    expect(next.outbox[0]?.alert).toMatchObject({ event: 'CONTROL_CHANGED', chain: NAME });
    expect(next.outbox[0]?.history).toMatchObject({
      from: 'primary',
      to: 'secondary',
      by: 'ops@example.com',
    });

    // The checks' alarms say the primary fails: the build serves the secondary, alerted like any flip.
    const failing = decideInSync(
      build({ status, known: true }),
      status,
      status,
      applied(records, new Map([['primary', { state: 'ALARM', at: AT, checkId: 'hc-primary' }]])),
      extra,
    );
    expect(failing.next).toMatchObject({ servingTier: 'secondary', tierHealth: { primary: 'unhealthy' } });
    expect(failing.alerts.map((a) => a.subject)).toEqual([`${NAME}: primary -> secondary`]);
  });

  it('warns in status about records left in a zone the deployment may no longer change', () => {
    const status = builtStatus();
    const next = decideInSync(
      build({ status, known: true }),
      status,
      status,
      { records: [], checks: IDS, readings: new Map() },
      { owner: 'default', at: AT, flap: FLAP_DEFAULTS, leftIn: 'records of this chain may remain in ZOLD' },
    );
    expect(next.next.warnings).toEqual(['records of this chain may remain in ZOLD']);
  });
});
