// The example app started by `npm start`: a fetch-style handler, the same shape Hono, Bun and Workers use.
export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/') {
      return new Response(
        '<!doctype html><meta charset="utf-8"><title>corral</title><link rel="stylesheet" href="/static/css/site.css">' +
          '<h1>Hello from corral</h1><p>This page comes from <code>example/app.mjs</code>; the stylesheet from ' +
          '<code>example/public</code> through <code>static-map</code>. Try <a href="/api/time">/api/time</a>.</p>',
        { headers: { 'content-type': 'text/html; charset=utf-8' } },
      );
    }
    if (url.pathname === '/api/time') {
      return Response.json({ now: new Date().toISOString(), pid: process.pid });
    }
    return new Response('Not Found\n', { status: 404 });
  },
};
