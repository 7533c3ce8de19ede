import type { Chain, Tier } from '../shared/core/chain.ts';
import { toFqdn } from '../shared/core/dns-name.ts';
import type { Answer } from '../shared/core/route53-answer.ts';

/** A dig-like rendering of an answer, each followed record on a line, and the serving tier. */
export function formatAnswer(chain: Chain, answer: Answer, tier: Tier | undefined): string {
  const lines = [`;; ${toFqdn(chain.name)} (${chain.recordType} chain)`];
  for (const record of answer.path) {
    const value = record.AliasTarget
      ? `ALIAS ${record.AliasTarget.DNSName}`
      : (record.ResourceRecords ?? []).map((r) => r.Value).join(' ');
    lines.push(`${record.Name}\t${record.Type}\t${value}\t; ${record.Failover ?? 'SIMPLE'}`);
  }
  if (answer.rcode === 'NXDOMAIN') lines.push(';; NXDOMAIN');
  lines.push(`serving tier: ${tier?.id ?? 'none'}`);
  return lines.join('\n');
}
