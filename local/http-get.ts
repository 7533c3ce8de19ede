import { request } from 'node:http';

/** A plain HTTP GET on loopback: the status and the first 5,120 characters, or undefined when nothing answered in time. */
export function httpGet(
  host: string,
  port: number,
  path: string,
  timeoutMs: number,
): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, timeout: timeoutMs, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        // Route 53's string matching reads only the first 5,120 bytes of a response.
        if (body.length < 5120) body += chunk;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: body.slice(0, 5120) });
      });
    });
    req.on('error', () => {
      resolve(undefined);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(undefined);
    });
    req.end();
  });
}
