// Minimal clients for the static tests: a normal GET/HEAD helper and a raw socket one that sends the path untouched.
import http from 'node:http';
import net from 'node:net';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Sends one request with the path and headers as given (http.request does not normalize '..'). */
export function request(
  port: number,
  path: string,
  method = 'GET',
  headers: http.OutgoingHttpHeaders = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method, headers, agent: false, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout on ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

/** Writes a request line byte for byte over a socket and returns the status code of the answer. */
export async function rawStatus(port: number, target: string, method = 'GET'): Promise<number> {
  return (await rawReply(port, target, method)).status;
}

/** Writes a request line byte for byte over a socket and returns the status code and everything received (latin1). */
export function rawReply(port: number, target: string, method = 'GET'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error(`timeout on ${target}`)));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(received);
      if (match?.[1] === undefined) reject(new Error(`no status line for ${target}: ${JSON.stringify(received)}`));
      else resolve({ status: Number(match[1]), text: received });
    });
    socket.write(`${method} ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`, 'latin1');
  });
}
