import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { isWithinZone, toFqdn } from '../shared/core/dns-name.ts';
import { answer } from '../shared/core/route53-answer.ts';
import type { ResourceRecordSet } from '../shared/core/route53-types.ts';
import type { Route53StandIn } from './route53-stand-in.ts';

/** One answer record on the wire. */
export interface WireRecord {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME';
  ttl: number;
  data: string;
}

/**
 * The DNS answer Route 53 would give for a zone's records: the answer model picks the records,
 * CNAMEs inside the zone are followed and listed, aliases answer with their target's records
 * under the queried name.
 */
function wireAnswer(
  records: readonly ResourceRecordSet[],
  healthy: ReadonlySet<string>,
  name: string,
  type: string,
): { rcode: 'NOERROR' | 'NXDOMAIN'; answers: WireRecord[] } {
  const result = answer(records, healthy, name, type);
  const answers: WireRecord[] = [];
  let owner = toFqdn(name).slice(0, -1);
  for (const record of result.path) {
    if (record.AliasTarget) continue;
    const values = (record.ResourceRecords ?? []).map((r) => r.Value);
    const recordType = record.Type as WireRecord['type'];
    for (const value of values) {
      answers.push({ name: owner, type: recordType, ttl: record.TTL ?? 60, data: value.replace(/\.$/, '') });
    }
    if (record.Type === 'CNAME' && values[0]) owner = values[0].replace(/\.$/, '');
  }
  return { rcode: result.rcode, answers };
}

/** Serves the stand-in's zones over UDP with Route 53's failover semantics (local mode only). */
export class DnsResponder {
  private socket: Socket | undefined;

  constructor(
    private readonly route53: Route53StandIn,
    readonly host = '127.0.0.1',
    private port = 5353,
  ) {}

  get address(): { host: string; port: number } {
    return { host: this.host, port: this.port };
  }

  async start(): Promise<void> {
    const socket = createSocket('udp4');
    socket.on('message', (message, remote) => {
      const reply = this.reply(message);
      if (reply) socket.send(reply, remote.port, remote.address);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.port, this.host, () => {
        resolve();
      });
    });
    this.port = socket.address().port;
    this.socket = socket;
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket)
      await new Promise<void>((resolve) =>
        socket.close(() => {
          resolve();
        }),
      );
  }

  private reply(message: Buffer): Buffer | undefined {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return undefined;
    }
    const question = query.questions?.[0];
    if (!question) return undefined;
    const zone = [...this.route53.zones.values()]
      .filter((z) => isWithinZone(question.name, z.name))
      .sort((a, b) => b.name.length - a.name.length)[0];
    const healthy = new Set(
      [...this.route53.healthChecks.keys()].filter((id) => !this.route53.unhealthy.has(id)),
    );
    const result = zone
      ? // The stand-in only ever stores complete record sets (Name and Type always set).
        wireAnswer(
          this.route53.records(zone.id) as ResourceRecordSet[],
          healthy,
          question.name,
          question.type,
        )
      : { rcode: 'NXDOMAIN' as const, answers: [] };
    return dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (result.rcode === 'NXDOMAIN' ? 3 : 0),
      questions: [question],
      answers: result.answers.map((a) => ({
        name: a.name,
        type: a.type,
        ttl: a.ttl,
        class: 'IN' as const,
        data: a.data,
      })),
    });
  }
}
