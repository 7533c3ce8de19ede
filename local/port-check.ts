import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** One line naming the busy port and the `npm start` option that moves it. */
export function portInUseMessage(what: string, option: string, port: number, guess?: string): string {
  const next = port >= 65_535 ? port - 1 : port + 1;
  return `port ${what} is in use${guess ? ` (${guess})` : ''}: npm start -- ${option} ${next}`;
}

/** Whether a TCP port can be listened on at `host` (false when taken; throws when the address is not local). */
export function tcpPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

/** Whether a UDP port can be bound at `host`. */
export function udpPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.close();
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    socket.bind({ port, address: host, exclusive: true }, () => {
      socket.close(() => {
        resolve(true);
      });
    });
  });
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('no free port'));
      });
    });
  });
}
