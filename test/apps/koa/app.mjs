// A Koa 3 app as Koa's guide writes one (middleware, ctx.body, ctx.throw), exported itself instead of listened on.
import { PassThrough } from 'node:stream';
import Koa from 'koa';
import { readRecord, record } from '../record.mjs';

const app = new Koa();

// Error middleware first, the way Koa's error-handling guide shows it.
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    ctx.status = err.status ?? 500;
    ctx.body = { error: err.message, handledBy: 'koa error middleware' };
  }
});

app.use(async (ctx, next) => {
  const started = Date.now();
  await next();
  ctx.set('x-response-time', `${Date.now() - started}ms`);
});

app.use(async (ctx) => {
  if (ctx.path.startsWith('/echo/')) {
    ctx.cookies.set('a', '1', { httpOnly: false });
    ctx.cookies.set('b', '2', { httpOnly: false });
    ctx.body = {
      method: ctx.method,
      url: ctx.originalUrl,
      multi: ctx.get('x-multi'),
      host: ctx.get('host'),
      remote: ctx.ip,
    };
  } else if (ctx.path === '/hello') {
    ctx.body = `hello from koa, ${ctx.query.name ?? 'nobody'}`;
  } else if (ctx.path === '/cookie') {
    ctx.body = { seen: ctx.cookies.get('flavour') ?? null };
  } else if (ctx.path === '/old') {
    ctx.redirect('/hello');
  } else if (ctx.path === '/teapot') {
    ctx.throw(418, 'short and stout');
  } else if (ctx.path === '/sse') {
    const id = ctx.query.id;
    ctx.set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const stream = new PassThrough();
    ctx.body = stream;
    stream.write('data: first\n\n');
    const timer = setTimeout(() => stream.end('data: late\n\n'), 15_000);
    ctx.res.on('close', () => {
      clearTimeout(timer);
      if (!ctx.res.writableFinished) record(id, 'client left');
    });
  } else if (ctx.path === '/record') {
    ctx.body = readRecord(ctx.query.id);
  }
  // Anything else: Koa's own 404.
});

// Koa's own default prints every stream error, a client that left an event stream included (ERR_STREAM_PREMATURE_CLOSE),
// on plain Node as under corral; an app says what it wants logged, as Koa's docs show.
app.on('error', (err) => {
  if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE') console.error('koa app error', err);
});

export default app;
