// The front end and the request pipeline against a real listener on 127.0.0.1 port 0: order, 404, 500 with id, drain.
import { request, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFrontEnd, type FrontEnd } from '../../src/http/front-end.ts';
import { createPipeline, type PipelineParts } from '../../src/http/pipeline.ts';
import { memoryLogger } from '../memory-logger.ts';

let frontEnd: FrontEnd | undefined;
afterEach(async () => {
  await frontEnd?.drain();
  frontEnd = undefined;
});

async function start(parts: Partial<PipelineParts>) {
  const memory = memoryLogger({ worker: 1 });
  frontEnd = await startFrontEnd([{ kind: 'tcp', host: '127.0.0.1', port: 0, text: '127.0.0.1:0' }], (isDraining) =>
    createPipeline({
      log: memory.log,
      lines: memory.sink,
      idPrefix: 'w1',
      serveStatic: undefined,
      app: undefined,
      isDraining,
      ...parts,
    }),
  );
  return { base: `http://${frontEnd.addresses[0]}`, lines: memory.lines };
}

/** Requests each path in turn (a cut one counts as answered), then returns each access line's path and aborted flag. */
async function pathsAndAborted(base: string, paths: string[], lines: Array<Record<string, unknown>>) {
  for (const path of paths)
    await fetch(`${base}${path}`).then(
      (res) => res.text(),
      () => '',
    );
  await new Promise((resolve) => setTimeout(resolve, 50));
  return lines.filter((line) => line.msg === 'request').map((line) => [line.path, line.aborted]);
}

describe('request pipeline', () => {
  it('names the real port it bound', async () => {
    await start({});
    expect(frontEnd?.addresses[0]).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
  });

  it('answers 404 when neither static files nor an app answer', async () => {
    const { base } = await start({});
    const res = await fetch(`${base}/nothing`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not Found\n');
  });

  it('asks the static handler first and the app only when it falls through', async () => {
    const { base } = await start({
      serveStatic: async (req, res) => {
        if (req.url !== '/file') return false;
        res.end('static');
        return true;
      },
      app: (_req, res) => void res.end('app'),
    });
    expect(await (await fetch(`${base}/file`)).text()).toBe('static');
    expect(await (await fetch(`${base}/other`)).text()).toBe('app');
  });

  it('writes no access line with disableLogging, but still logs failures', async () => {
    const { base, lines } = await start({
      disableLogging: true,
      app: (req, res) => {
        if (req.url === '/boom') throw new Error('boom');
        res.end('ok');
      },
    });
    expect(await (await fetch(`${base}/x`)).text()).toBe('ok');
    expect((await fetch(`${base}/boom`)).status).toBe(500);
    expect(lines.filter((line) => line.msg === 'request')).toEqual([]);
    expect(lines.filter((line) => line.level === 50)).toHaveLength(1);
  });

  it('turns a thrown error into a 500 whose id is in the header, the body and the log', async () => {
    const { base, lines } = await start({
      app: () => {
        throw new Error('boom');
      },
    });
    const res = await fetch(`${base}/x`);
    expect(res.status).toBe(500);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^w1-/);
    expect(await res.text()).toContain(String(id));
    const logged = lines.find((line) => line.level === 50);
    expect(logged).toMatchObject({ reqId: id, path: '/x' });
    expect(JSON.stringify(logged?.err)).toContain('boom');
  });

  it('cuts the connection when the app fails after sending headers', async () => {
    const { base } = await start({
      app: async (_req, res) => {
        res.writeHead(200);
        res.write('partial');
        await new Promise((resolve) => setTimeout(resolve, 10));
        throw new Error('late');
      },
    });
    await expect(fetch(`${base}/`).then((res) => res.text())).rejects.toThrow();
  });

  it('logs one access line per request', async () => {
    const { base, lines } = await start({ app: (_req, res) => void res.end('hello') });
    await (await fetch(`${base}/a?b=1`)).text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const access = lines.filter((line) => line.msg === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      reqId: 'w1-1',
      method: 'GET',
      path: '/a?b=1',
      status: 200,
      remote: '127.0.0.1',
      worker: 1,
    });
    expect(access[0]?.bytes).toBeGreaterThan('hello'.length);
    expect(typeof access[0]?.ms).toBe('number');
    expect(access[0]?.aborted).toBeUndefined();
  });

  it('names the request id of a failed request in its access line', async () => {
    const { base, lines } = await start({
      app: () => {
        throw new Error('boom');
      },
    });
    const res = await fetch(`${base}/x`);
    await res.text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({
      reqId: res.headers.get('x-request-id'),
      status: 500,
    });
  });

  it('marks the access line of a response cut short by the client as aborted', async () => {
    let cut: () => void = () => {};
    const closed = new Promise<void>((resolve) => (cut = resolve));
    const { base, lines } = await start({ app: (_req, res) => void res.on('close', () => cut()) });
    const client = request(`${base}/never`).on('error', () => {});
    client.end();
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.destroy();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({
      path: '/never',
      aborted: true,
      remote: '127.0.0.1',
    });
  });

  it('sees every response close, one cut by the app at once included: one access line each, none left in flight', async () => {
    const { base, lines } = await start({
      app: (req, res) => {
        if (req.url === '/cut') return void res.destroy();
        res.end('ok');
      },
    });
    expect(await pathsAndAborted(base, ['/a', '/cut', '/b'], lines)).toEqual([
      ['/a', undefined],
      ['/cut', true],
      ['/b', undefined],
    ]);
    expect(frontEnd?.inFlight.size).toBe(0);
  });

  it('counts the bytes of each response of a keep-alive connection, pipelined ones included', async () => {
    const { base, lines } = await start({
      app: (req, res) => void res.end('x'.repeat(req.url === '/long' ? 5000 : 10)),
    });
    const { port } = new URL(base);
    const received = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write(
          'GET /short HTTP/1.1\r\nHost: a\r\n\r\nGET /long HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
        ),
      );
      socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text)).on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const access = lines.filter((line) => line.msg === 'request');
    expect(access.map((line) => line.path)).toEqual(['/short', '/long']);
    const second = received.indexOf('HTTP/1.1 200', 1);
    expect(access.map((line) => line.bytes)).toEqual([second, received.length - second]);
  });

  it('sees the end of a response whose prototype the app replaced (as Express does), cut short ones too', async () => {
    const { base, lines } = await start({
      app: (req, res) => {
        Object.setPrototypeOf(res, Object.create(ServerResponse.prototype));
        if (req.url === '/cut') return void res.destroy();
        res.end('ok');
      },
    });
    expect(await pathsAndAborted(base, ['/a', '/cut'], lines)).toEqual([
      ['/a', undefined],
      ['/cut', true],
    ]);
    expect(frontEnd?.inFlight.size).toBe(0);
  });

  it('adds no listener of its own to a request (node:http itself adds one on finish)', async () => {
    let events: Array<string | symbol> = [];
    let closeListeners = 0;
    const { base } = await start({
      app: (req, res) => {
        events = [...res.eventNames(), ...req.eventNames()];
        closeListeners = res.listenerCount('close');
        res.end('ok');
      },
    });
    await (await fetch(`${base}/`)).text();
    expect(events.sort()).toEqual(['finish']);
    expect(closeListeners).toBe(0);
  });
});

describe('drain', () => {
  it('finishes the in-flight request with Connection: close, then resolves', async () => {
    const { base } = await start({ app: (_req, res) => void setTimeout(() => res.end('late answer'), 300) });
    const answer = new Promise<{ body: string; connection: string | undefined }>((resolve, reject) => {
      request(`${base}/`, (res) => {
        let body = '';
        res
          .setEncoding('utf8')
          .on('data', (d: string) => (body += d))
          .on('end', () => resolve({ body, connection: res.headers.connection }));
      })
        .on('error', reject)
        .end();
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const drained = frontEnd?.drain();
    expect(await answer).toEqual({ body: 'late answer', connection: 'close' });
    await drained;
    await expect(fetch(`${base}/`)).rejects.toThrow();
    frontEnd = undefined;
  });
});
