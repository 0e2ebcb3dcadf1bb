// An Express 5 app written as Express's guide teaches, exported for corral instead of calling app.listen().
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express from 'express';
import multer from 'multer';
import { readRecord, record } from '../record.mjs';

const app = express();
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 16 * 1024 * 1024 } });

app.use(express.json());
app.use(cookieParser('a secret for signed cookies'));
app.use('/assets', express.static(fileURLToPath(new URL('./public', import.meta.url))));

// Request fidelity: what Express and Node saw of the request, as sent.
app.all('/echo/{*rest}', (req, res) => {
  res.cookie('a', '1');
  res.cookie('b', '2');
  res.json({
    method: req.method,
    url: req.originalUrl,
    multi: req.headers['x-multi'],
    rawMulti: rawValues(req.rawHeaders, 'x-multi'),
    host: req.headers.host,
    remote: req.ip,
  });
});

app.get('/users/:id', (req, res) => {
  res.json({ id: req.params.id, sort: req.query.sort });
});

app.post('/items', (req, res) => {
  res.status(201).json({ received: req.body, count: Array.isArray(req.body.items) ? req.body.items.length : 0 });
});

app.get('/cookies/set', (_req, res) => {
  res.cookie('theme', 'dark', { httpOnly: true });
  res.cookie('user', 'ada', { signed: true });
  res.send('set');
});

app.get('/cookies/read', (req, res) => {
  res.json({ cookies: req.cookies, signed: req.signedCookies });
});

app.get('/old', (_req, res) => {
  res.redirect(301, '/new');
});

app.get('/login', (_req, res) => {
  res.redirect('/users/me');
});

app.get('/boom', () => {
  throw new Error('thrown in a route');
});

app.get('/boom-async', async () => {
  await Promise.resolve();
  const error = new Error('rejected in an async route');
  error.status = 422;
  throw error;
});

// A large response written chunk by chunk, waiting for 'drain' whenever write() says the socket is full. It notes how
// far it got each time it waits, so a test can see it stop while the client does not read.
app.get('/big', async (req, res) => {
  const chunks = Number(req.query.chunks ?? 128);
  const note = (written, waits, done) => record(`big-${req.query.id}`, JSON.stringify({ written, waits, done }));
  let waits = 0;
  res.set('content-type', 'application/octet-stream');
  for (let i = 0; i < chunks && !res.destroyed; i++) {
    if (!res.write(bigChunk(i))) {
      waits++;
      note(i + 1, waits, false);
      await new Promise((resolve) => {
        const go = () => {
          res.off('drain', go);
          res.off('close', go);
          resolve();
        };
        res.on('drain', go);
        res.on('close', go);
      });
    }
  }
  note(chunks, waits, true);
  res.end();
});

app.post('/upload', upload.single('file'), (req, res) => {
  const hash = createHash('sha256').update(req.file.buffer).digest('hex');
  res.json({ field: req.body.note, name: req.file.originalname, size: req.file.size, sha256: hash });
});

// Server-sent events: one event now, then the response stays open until the client leaves.
app.get('/sse', (req, res) => {
  res.set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  res.write('data: first\n\n');
  const timer = setTimeout(() => res.end('data: late\n\n'), 15_000);
  // The request's 'close', as Express's SSE examples listen for it (the plain app listens on the response).
  req.on('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) record(req.query.id, 'client left');
  });
});

app.get('/record', (req, res) => {
  res.type('text').send(readRecord(req.query.id));
});

// Error handler: four arguments, answers what a route threw or rejected with.
app.use((err, _req, res, next) => {
  if (res.headersSent) return next(err);
  res.status(err.status ?? 500).json({ error: err.message, handledBy: 'express error handler' });
});

export default app;

/** Chunk `i` of /big: 64 KiB of the byte i % 251, so the client can check every byte by hash. */
function bigChunk(i) {
  return Buffer.alloc(64 * 1024, i % 251);
}

function rawValues(rawHeaders, name) {
  const values = [];
  for (let i = 0; i < rawHeaders.length; i += 2)
    if (rawHeaders[i].toLowerCase() === name) values.push(rawHeaders[i + 1]);
  return values;
}
