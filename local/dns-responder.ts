import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import dnsPacket from 'dns-packet';
import type { ResourceRecordSet } from '../shared/core/route53-types.ts';
import { dnsReply, type ServedZone } from './dns-answer.ts';
import type { Route53StandIn } from './route53-stand-in.ts';

/** Largest UDP reply without EDNS (RFC 1035 4.2.1); a longer one is truncated so the client retries over TCP. */
const UDP_LIMIT = 512;

/** Serves the stand-in's zones over UDP and TCP on one port with Route 53's failover semantics (local mode only). */
export class DnsResponder {
  private udp: Socket | undefined;
  private tcp: Server | undefined;

  constructor(
    private readonly route53: Route53StandIn,
    readonly host = '127.0.0.1',
    private port = 5353,
  ) {}

  get address(): { host: string; port: number } {
    return { host: this.host, port: this.port };
  }

  /** Listen on UDP and TCP; port 0 picks one free on both. */
  async start(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const udp = createSocket('udp4');
      udp.on('message', (message, remote) => {
        const reply = this.answer(message, true);
        if (reply) udp.send(reply, remote.port, remote.address);
      });
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(this.port, this.host, () => {
          resolve();
        });
      });
      const port = udp.address().port;
      try {
        this.tcp = await this.listenTcp(port);
        this.port = port;
        this.udp = udp;
        return;
      } catch (error) {
        udp.close();
        // With port 0 the UDP port may be taken over TCP: try another.
        if (this.port !== 0 || attempt > 20) throw error;
      }
    }
  }

  async stop(): Promise<void> {
    const { udp, tcp } = this;
    this.udp = undefined;
    this.tcp = undefined;
    if (udp)
      await new Promise<void>((resolve) => {
        udp.close(() => {
          resolve();
        });
      });
    if (tcp) {
      tcp.close();
      await new Promise<void>((resolve) => {
        if (!tcp.listening) resolve();
        tcp.once('close', () => {
          resolve();
        });
      });
    }
  }

  private listenTcp(port: number): Promise<Server> {
    const server = createServer((connection) => {
      // RFC 1035 4.2.2 / RFC 7766: each message is preceded by its two-byte length.
      let buffered = Buffer.alloc(0);
      connection.setTimeout(10_000, () => connection.destroy());
      connection.on('error', () => connection.destroy());
      connection.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2) {
          const length = buffered.readUInt16BE(0);
          if (buffered.length < 2 + length) break;
          const message = buffered.subarray(2, 2 + length);
          buffered = buffered.subarray(2 + length);
          const reply = this.answer(message, false);
          if (reply) {
            const framed = Buffer.alloc(2 + reply.length);
            framed.writeUInt16BE(reply.length, 0);
            reply.copy(framed, 2);
            connection.write(framed);
          }
        }
      });
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.removeListener('error', reject);
        resolve(server);
      });
    });
  }

  private answer(message: Buffer, udp: boolean): Buffer | undefined {
    const zones: ServedZone[] = [...this.route53.zones.values()].map((zone) => ({
      name: zone.name,
      // The stand-in only ever stores complete record sets (Name and Type always set).
      records: this.route53.records(zone.id) as ResourceRecordSet[],
    }));
    const healthy = new Set(
      [...this.route53.healthChecks.keys()].filter((id) => !this.route53.unhealthy.has(id)),
    );
    const reply = dnsReply(message, zones, healthy);
    if (!reply) return undefined;
    const encoded = dnsPacket.encode(reply);
    if (!udp || encoded.length <= UDP_LIMIT) return encoded;
    return dnsPacket.encode({
      ...reply,
      flags: (reply.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE,
      answers: [],
      authorities: [],
    });
  }
}
