// A Fastify 5 instance as Fastify's getting-started writes one, exported instead of calling listen(): corral readies it.
import { PassThrough } from 'node:stream';
import Fastify from 'fastify';
import { readRecord, record } from '../record.mjs';
import greetings from './greetings.mjs';

const fastify = Fastify({ logger: false });

// What a database plugin would do to close its pool; corral's onShutdown below triggers it through fastify.close().
fastify.addHook('onClose', async () => {
  record(`fastify-closed-${process.pid}`, 'closed');
});

// biome-ignore lint/nursery/noMisusedPromises: an async plugin is how Fastify's own docs write one; register awaits it.
fastify.register(greetings, { prefix: '/plugin', greeting: 'Howdy' });

fastify.all('/echo/*', async (request, reply) => {
  reply.header('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
  return {
    method: request.method,
    url: request.url,
    multi: request.headers['x-multi'],
    host: request.headers.host,
    remote: request.ip,
    body: request.body ?? null,
  };
});

fastify.post('/items', {
  schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
  handler: async (request, reply) => {
    reply.code(201);
    return { created: request.body.name };
  },
});

fastify.get('/sse', (request, reply) => {
  const stream = new PassThrough();
  stream.write('data: first\n\n');
  const timer = setTimeout(() => stream.end('data: late\n\n'), 15_000);
  reply.raw.on('close', () => {
    clearTimeout(timer);
    if (!reply.raw.writableFinished) record(request.query.id, 'client left');
  });
  reply.header('content-type', 'text/event-stream').header('cache-control', 'no-cache').send(stream);
});

fastify.get('/record', async (request) => readRecord(request.query.id));

fastify.setNotFoundHandler((request, reply) => {
  reply.code(404).send({ error: 'nothing here', url: request.url });
});

export default fastify;

/** Fastify's own shutdown: onClose hooks run (a database plugin would close its pool here). */
export async function onShutdown() {
  await fastify.close();
}
