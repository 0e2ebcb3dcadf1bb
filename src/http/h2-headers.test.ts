// corral's HTTP/2 response class drops connection-specific headers an HTTP/1-minded app sets; Node's own class is left as it is.
import { connect, createServer, type Http2Server, type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CorralHttp2Response } from './h2-headers.ts';

const servers: Http2Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** An h2c server (no TLS needed for the class under test) whose app sets HTTP/1 connection headers. */
async function serve(options: { Http2ServerResponse?: typeof CorralHttp2Response }): Promise<number> {
  const server = createServer(options, (req, res) => {
    try {
      res.setHeader('Connection', 'close');
      res.appendHeader('keep-alive', 'timeout=5');
      res.setHeader('x-kept', 'yes');
      res.setHeader('x-replaced', 'before');
      if (req.url === '/flat')
        // The flat array form corral's static files use: names override what was set, repeated names keep each value.
        res.writeHead(200, [
          'Content-Type',
          'text/plain',
          'X-Replaced',
          'after',
          'Set-Cookie',
          'a=1',
          'set-cookie',
          'b=2',
          'Connection',
          'keep-alive',
        ]);
      else if (req.url === '/odd')
        // A name an ordinary object has already: the array is kept as an array.
        res.writeHead(200, ['constructor', 'x', 'Transfer-Encoding', 'chunked', 'x-odd', '1']);
      else res.writeHead(200, { 'Transfer-Encoding': 'chunked', 'content-type': 'text/plain' });
      res.end('ok');
    } catch (err) {
      res.stream.respond({ ':status': 500, 'x-error': (err as NodeJS.ErrnoException).code ?? 'unknown' });
      res.stream.end();
    }
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function get(port: number, path = '/'): Promise<{ headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const stream = session.request({ ':path': path });
    let body = '';
    let headers: IncomingHttpHeaders = {};
    stream.on('response', (h) => (headers = h));
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => {
      session.close();
      resolve({ headers, body });
    });
    stream.on('error', reject);
  });
}

describe('HTTP/2 connection headers', () => {
  it('are dropped by corral’s response class, the others kept', { timeout: 5000 }, async () => {
    const { headers, body } = await get(await serve({ Http2ServerResponse: CorralHttp2Response }));
    expect(headers[':status']).toBe(200);
    expect(body).toBe('ok');
    expect(headers['x-kept']).toBe('yes');
    expect(headers['content-type']).toBe('text/plain');
    for (const name of ['connection', 'keep-alive', 'transfer-encoding']) expect(headers[name]).toBeUndefined();
  });

  it('are dropped from a flat header array too, which otherwise overrides and repeats as Node’s writeHead does', {
    timeout: 5000,
  }, async () => {
    const port = await serve({ Http2ServerResponse: CorralHttp2Response });
    const { headers } = await get(port, '/flat');
    expect(headers[':status']).toBe(200);
    expect(headers['x-kept']).toBe('yes');
    expect(headers['x-replaced']).toBe('after');
    expect(headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(headers.connection).toBeUndefined();
    const odd = await get(port, '/odd');
    expect([odd.headers[':status'], odd.headers.constructor, odd.headers['x-odd']]).toEqual([200, 'x', '1']);
    expect(odd.headers['transfer-encoding']).toBeUndefined();
  });

  it('still make Node’s own class throw: nothing is patched for the rest of the process', {
    timeout: 5000,
  }, async () => {
    const { headers } = await get(await serve({}));
    expect(headers[':status']).toBe(500);
    expect(headers['x-error']).toBe('ERR_HTTP2_INVALID_CONNECTION_HEADERS');
  });
});
