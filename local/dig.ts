import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';

/** Record types the REPL's `dig` asks for. */
export const DIG_TYPES = ['A', 'AAAA', 'CNAME', 'ANY', 'SOA', 'NS', 'TXT'] as const;

/**
 * Ask the DNS responder one question over UDP and print the reply as `dig` would: the rcode,
 * then every answer record (each CNAME hop, then the addresses), then the authority section.
 */
export async function dig(port: number, name: string, type: (typeof DIG_TYPES)[number]): Promise<string[]> {
  const reply = await new Promise<Buffer>((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no answer from 127.0.0.1:${port} within 2 s`));
    }, 2000);
    socket.once('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(message);
    });
    socket.send(
      dnsPacket.encode({
        type: 'query',
        id: Math.floor(Math.random() * 65_535),
        flags: dnsPacket.RECURSION_DESIRED,
        questions: [{ name, type: type as 'A', class: 'IN' }],
      }),
      port,
      '127.0.0.1',
    );
  });
  const packet = dnsPacket.decode(reply) as dnsPacket.DecodedPacket & { rcode: string };
  const line = (record: dnsPacket.Answer) =>
    `  ${record.name}.  ${'ttl' in record ? record.ttl : ''}  ${record.type}  ${format(record)}`;
  return [
    `${name} ${type}: ${packet.rcode}`,
    ...(packet.answers ?? []).map(line),
    ...(packet.authorities ?? []).map((record) => `${line(record)}  (authority)`),
  ];
}

function format(record: dnsPacket.Answer): string {
  if (!('data' in record)) return '';
  const { data } = record;
  if (typeof data === 'string') return ['CNAME', 'NS'].includes(record.type) ? `${data}.` : data;
  if (record.type === 'SOA') {
    const soa = data as dnsPacket.SoaData;
    return `${soa.mname}. ${soa.rname}. ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minimum}`;
  }
  return JSON.stringify(data);
}
