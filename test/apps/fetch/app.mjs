// A fetch-style app, `export default { fetch }` as Bun, Deno and Workers write one: Request in, Response out.
import { readRecord, record } from '../record.mjs';

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/echo/')) {
      const headers = new Headers({ 'content-type': 'application/json' });
      headers.append('set-cookie', 'a=1; Path=/');
      headers.append('set-cookie', 'b=2; Path=/');
      const body = {
        method: request.method,
        requestUrl: request.url,
        multi: request.headers.get('x-multi'),
        host: request.headers.get('host'),
        // corral passes Node's objects as the second argument, as @hono/node-server does.
        remote: env?.incoming?.socket.remoteAddress,
        body: request.body === null ? null : await request.text(),
      };
      return new Response(JSON.stringify(body), { headers });
    }
    if (url.pathname === '/sse') {
      const id = url.searchParams.get('id');
      const encoder = new TextEncoder();
      let timer;
      request.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        record(id, 'client left');
      });
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(encoder.encode('data: first\n\n'));
          timer = setTimeout(() => {
            controller.enqueue(encoder.encode('data: late\n\n'));
            controller.close();
          }, 15_000);
        },
        cancel() {
          clearTimeout(timer);
        },
      });
      return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
    }
    if (url.pathname === '/big') return bigResponse(Number(url.searchParams.get('chunks')), url.searchParams.get('id'));
    if (url.pathname === '/wait') {
      // Long polling: nothing to answer yet; the app gives up when the client does.
      const id = url.searchParams.get('id');
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 15_000);
        request.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          record(id, `aborted: ${request.signal.aborted}`);
          resolve();
        });
      });
      return new Response('too late');
    }
    if (url.pathname === '/record') return new Response(readRecord(url.searchParams.get('id')));
    return new Response('not found', { status: 404 });
  },
};

/** `chunks` chunks of 64 KiB (chunk i is the byte i % 251), made only when the stream is pulled; notes how many were. */
function bigResponse(chunks, id) {
  let pulled = 0;
  const stream = new ReadableStream({
    pull(controller) {
      controller.enqueue(new Uint8Array(64 * 1024).fill(pulled % 251));
      pulled++;
      record(`big-${id}`, String(pulled));
      if (pulled === chunks) controller.close();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'application/octet-stream' } });
}
