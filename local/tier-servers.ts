import { createServer, type Server } from 'node:http';

/** One of the rehearsal's web servers: answers every request with `server #<n>`, like the seed's netcat loop. */
export class TierServer {
  private server: Server | undefined;

  constructor(
    readonly number: number,
    readonly host: string,
    readonly port: number,
  ) {}

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
      response.end(`server #${this.number}\n`);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        resolve();
      });
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  }
}
