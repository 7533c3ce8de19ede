import type { Chain } from '../core/chain.ts';
import { diffContext, isOwnedByChain, recordKey } from '../core/diff-records.ts';
import { toFqdn } from '../core/dns-name.ts';
import type { ResourceRecordSet } from '../core/route53-types.ts';
import type { Route53Port } from '../ports.ts';

/**
 * The records a chain's diff must see: everything at its name and below, plus, while its
 * adoption list is open (no record of its own exists yet), the adopted records at other
 * names (an imported tree's own intermediate names), so one batch can delete them.
 */
export async function observeChainRecords(
  route53: Route53Port,
  chain: Chain,
  owner: string,
): Promise<ResourceRecordSet[]> {
  const observed = await route53.listRecordsUnder(chain.hostedZoneId, chain.name);
  const context = diffContext(chain, owner);
  if (!chain.adopt?.length || observed.some((record) => isOwnedByChain(record, context))) return observed;
  const seen = new Set(observed.map(recordKey));
  for (const name of new Set(chain.adopt.map((key) => toFqdn(key.name)))) {
    for (const record of await route53.listRecordsUnder(chain.hostedZoneId, name)) {
      const key = recordKey(record);
      if (toFqdn(record.Name) !== name || seen.has(key)) continue;
      seen.add(key);
      observed.push(record);
    }
  }
  return observed;
}
