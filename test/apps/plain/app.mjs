// A plain Node request listener, as node:http's docs write one: corral calls it with (req, res).
import { readRecord, record } from '../record.mjs';

export default function app(req, res) {
  const url = new URL(req.url, 'http://placeholder');
  if (url.pathname.startsWith('/echo/')) {
    res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        method: req.method,
        url: req.url,
        multi: req.headers['x-multi'],
        host: req.headers.host,
        remote: req.socket.remoteAddress,
      }),
    );
    return;
  }
  if (url.pathname === '/sse') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('data: first\n\n');
    const timer = setTimeout(() => res.end('data: late\n\n'), 15_000);
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) record(url.searchParams.get('id'), 'client left');
    });
    return;
  }
  if (url.pathname === '/record') {
    res.end(readRecord(url.searchParams.get('id')));
    return;
  }
  res.statusCode = 404;
  res.end('not found');
}
