import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import dnsPacket from 'dns-packet';

/** A decoded reply; dns-packet decodes rcode and opcode but its types omit them. */
export type Reply = dnsPacket.DecodedPacket & { rcode: string; opcode: string };

/** A query as a real client sends it: RD set, class IN unless given. */
export function query(name: string, type: string, extra: Partial<dnsPacket.Packet> = {}): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: 4242,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as 'A', class: 'IN' }],
    ...extra,
  });
}

/** Send one message over UDP; resolves to the decoded reply, or undefined when none came within `ms`. */
export function overUdp(port: number, message: Buffer, ms = 500): Promise<Reply | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, ms);
    socket.once('message', (reply) => {
      clearTimeout(timer);
      socket.close();
      resolve(dnsPacket.decode(reply) as Reply);
    });
    socket.send(message, port, '127.0.0.1');
  });
}

/** Send messages over one TCP connection with two-byte length framing (as `dig +tcp` does); resolves to the replies. */
export function overTcp(port: number, messages: Buffer[]): Promise<Reply[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const replies: Reply[] = [];
    let buffered = Buffer.alloc(0);
    socket.setTimeout(2000, () => {
      socket.destroy();
      reject(new Error(`TCP: ${replies.length} of ${messages.length} replies before timeout`));
    });
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = 2 + buffered.readUInt16BE(0);
        replies.push(dnsPacket.streamDecode(buffered.subarray(0, length)) as Reply);
        buffered = buffered.subarray(length);
      }
      if (replies.length === messages.length) {
        socket.end();
        resolve(replies);
      }
    });
    socket.write(Buffer.concat(messages.map((m) => dnsPacket.streamEncode(dnsPacket.decode(m)))));
  });
}
