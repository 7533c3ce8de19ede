import dnsPacket from 'dns-packet';
import { isWithinZone, normalizeName, toFqdn } from '../shared/core/dns-name.ts';
import { answer } from '../shared/core/route53-answer.ts';
import type { ResourceRecordSet } from '../shared/core/route53-types.ts';

// How an authoritative name server answers, as Route 53's do:
// - RFC 1035 4.1.1: RD is copied from the query; a server answers only queries (QR=0) and says
//   NOTIMP for opcodes it does not support, FORMERR for a message it cannot read.
// - RFC 8020 / RFC 1034 4.3.2: NXDOMAIN only when the name does not exist; a name that exists
//   (the apex, a name with other types, an empty non-terminal) answers NOERROR with no data.
// - RFC 2308 3: a negative answer carries the zone's SOA in the authority section, its TTL the
//   lesser of the SOA's TTL and its MINIMUM field.
// - A name outside every hosted zone is REFUSED, as Route 53's name servers do for zones they
//   do not serve; so is any class but IN (and ANY, RFC 1035 3.2.5), since no zone of that class exists.
// - Route 53 creates an SOA and NS records at the apex of every hosted zone:
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/SOA-NSrecords.html

/** One hosted zone as the responder sees it. */
export interface ServedZone {
  name: string;
  records: readonly ResourceRecordSet[];
}

/** Route 53's default SOA values (TTL 900, negative-caching TTL 86400) and local name server names. */
const SOA = { ttl: 900, refresh: 7200, retry: 900, expire: 1_209_600, minimum: 86_400 };
const NAME_SERVER = 'ns.local-mode.invalid';

type Rcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'NOTIMP' | 'FORMERR';
const RCODES: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

/**
 * The reply to one DNS message, or undefined when none is due (a response, or bytes that are
 * not a DNS header). `healthy` holds the ids of the health checks that pass.
 */
export function dnsReply(
  message: Buffer,
  zones: readonly ServedZone[],
  healthy: ReadonlySet<string>,
): dnsPacket.Packet | undefined {
  let query: dnsPacket.DecodedPacket;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return message.length >= 12 && (message[2]! & 0x80) === 0 ? formErr(message) : undefined;
  }
  if (query.flag_qr) return undefined;
  const question = query.questions?.[0];
  const reply = (rcode: Rcode, sections: Partial<dnsPacket.Packet> = {}): dnsPacket.Packet => ({
    type: 'response',
    id: query.id ?? 0,
    flags:
      (rcode === 'NOERROR' || rcode === 'NXDOMAIN' ? dnsPacket.AUTHORITATIVE_ANSWER : 0) |
      (query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) |
      RCODES[rcode],
    questions: question ? [question] : [],
    ...sections,
  });
  if ((query as { opcode?: string }).opcode !== 'QUERY') return reply('NOTIMP');
  if (!question || query.questions?.length !== 1) return reply('FORMERR');
  if (question.class !== 'IN' && question.class !== 'ANY') return reply('REFUSED');
  const zone = zones
    .filter((z) => isWithinZone(question.name, z.name))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!zone) return reply('REFUSED');

  const zoneName = normalizeName(zone.name);
  const name = normalizeName(question.name);
  const apex = name === zoneName;
  const answers: dnsPacket.Answer[] = [];
  if (apex && (question.type === 'SOA' || (question.type as string) === 'ANY')) answers.push(soa(zoneName));
  if (apex && (question.type === 'NS' || (question.type as string) === 'ANY'))
    answers.push({ name: zoneName, type: 'NS', ttl: 172_800, class: 'IN', data: NAME_SERVER });
  const types = (question.type as string) === 'ANY' ? ['CNAME', 'A', 'AAAA'] : [question.type];
  for (const type of types) {
    const found = recordAnswers(zone.records, healthy, name, type);
    // A CNAME owns its name alone: with ANY, it is the whole answer.
    if (found.some((a) => a.type === 'CNAME' && a.name === name) && types.length > 1) {
      answers.push(...found);
      break;
    }
    answers.push(...found.filter((a) => !answers.some((b) => b.name === a.name && b.type === a.type)));
  }
  const any = (question.type as string) === 'ANY';
  const hasData = answers.some((a) => a.type === question.type || (any && a.type !== 'CNAME'));
  const cnames = answers.filter((a): a is dnsPacket.StringAnswer => a.type === 'CNAME');
  const finalName = normalizeName(cnames.at(-1)?.data ?? name);
  // A CNAME that leaves the zone is the whole answer: the rest is another server's to give.
  if (hasData || (any && answers.length > 0) || !isWithinZone(finalName, zoneName))
    return reply('NOERROR', { answers });
  const exists = finalName === zoneName || nameExists(zone.records, finalName);
  return reply(exists ? 'NOERROR' : 'NXDOMAIN', {
    answers,
    authorities: [soa(zoneName, Math.min(SOA.ttl, SOA.minimum))],
  });
}

/** The records Route 53 would answer with for `name`/`type`: CNAMEs in the zone followed, aliases answered under the queried name. */
function recordAnswers(
  records: readonly ResourceRecordSet[],
  healthy: ReadonlySet<string>,
  name: string,
  type: string,
): dnsPacket.Answer[] {
  const result = answer(records, healthy, name, type);
  const answers: dnsPacket.Answer[] = [];
  let owner = name;
  for (const record of result.path) {
    if (record.AliasTarget) continue;
    const values = (record.ResourceRecords ?? []).map((r) => r.Value.replace(/\.$/, ''));
    for (const data of values) {
      answers.push({ name: owner, type: record.Type as 'A', ttl: record.TTL ?? 60, class: 'IN', data });
    }
    if (record.Type === 'CNAME' && values[0]) owner = values[0];
  }
  return answers;
}

/** A name exists when it holds records or is an ancestor of a name that does (an empty non-terminal). */
function nameExists(records: readonly ResourceRecordSet[], name: string): boolean {
  const fqdn = toFqdn(name);
  return records.some((record) => {
    const owner = toFqdn(record.Name);
    return owner === fqdn || owner.endsWith(`.${fqdn}`);
  });
}

function soa(zone: string, ttl = SOA.ttl): dnsPacket.Answer {
  return {
    name: zone,
    type: 'SOA',
    ttl,
    class: 'IN',
    data: {
      mname: NAME_SERVER,
      rname: `hostmaster.${zone}`,
      serial: 1,
      refresh: SOA.refresh,
      retry: SOA.retry,
      expire: SOA.expire,
      minimum: SOA.minimum,
    },
  };
}

/** FORMERR for a query whose header could be read but whose body could not. */
function formErr(message: Buffer): dnsPacket.Packet {
  return { type: 'response', id: message.readUInt16BE(0), flags: RCODES.FORMERR, questions: [] };
}
