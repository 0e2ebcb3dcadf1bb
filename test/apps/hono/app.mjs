// A Hono 4 app as Hono's Node.js guide writes one, `export default app` (the fetch style), without @hono/node-server's serve().
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { getConnInfo } from '@hono/node-server/conninfo';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { streamSSE, streamText } from 'hono/streaming';
import { readRecord, record } from '../record.mjs';

const app = new Hono();

app.all('/echo/*', async (c) => {
  setCookie(c, 'a', '1', { path: '/' });
  setCookie(c, 'b', '2', { path: '/' });
  return c.json({
    method: c.req.method,
    requestUrl: c.req.url,
    multi: c.req.header('x-multi'),
    host: c.req.header('host'),
    remote: getConnInfo(c).remote.address,
    body: c.req.raw.body === null ? null : await c.req.text(),
  });
});

app.get('/hello/:name', (c) => c.text(`hello from hono, ${c.req.param('name')}`));

app.post('/items', async (c) => {
  const item = await c.req.json();
  return c.json({ created: item.name }, 201);
});

app.get('/forbidden', () => {
  throw new HTTPException(403, { message: 'not for you' });
});

app.post('/upload', async (c) => {
  const form = await c.req.parseBody();
  const file = form.file;
  const bytes = new Uint8Array(await file.arrayBuffer());
  return c.json({
    note: form.note,
    name: file.name,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
});

// @hono/node-server's documented escape hatch: answer through Node's response (c.env.outgoing) and return
// RESPONSE_ALREADY_SENT; here the body is still being piped after the handler has returned.
app.get('/direct', (c) => {
  const { outgoing } = c.env;
  outgoing.writeHead(200, { 'content-type': 'text/plain' });
  Readable.from(slowParts()).pipe(outgoing);
  return RESPONSE_ALREADY_SENT;
});

async function* slowParts() {
  for (let i = 0; i < 5; i++) {
    await sleep(20);
    yield `part ${i}\n`;
  }
}

app.get('/lines', (c) =>
  streamText(c, async (stream) => {
    for (let i = 0; i < 3; i++) {
      await stream.writeln(`line ${i}`);
      await stream.sleep(10);
    }
  }),
);

app.get('/sse', (c) => {
  const id = c.req.query('id');
  return streamSSE(c, async (stream) => {
    let timer;
    const left = new Promise((resolve) => {
      stream.onAbort(() => {
        record(id, 'client left');
        resolve();
      });
    });
    await stream.writeSSE({ data: 'first' });
    await Promise.race([left, new Promise((resolve) => (timer = setTimeout(resolve, 15_000)))]);
    clearTimeout(timer);
    if (!stream.aborted) await stream.writeSSE({ data: 'late' });
  });
});

app.get('/record', (c) => c.text(readRecord(c.req.query('id'))));

app.notFound((c) => c.json({ error: 'nothing here' }, 404));

app.onError((err, c) => {
  if (err instanceof HTTPException) return c.json({ error: err.message }, err.status);
  return c.json({ error: err.message }, 500);
});

export default app;
