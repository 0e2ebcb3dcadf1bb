// The app behind the hostile-client tests (test/e2e/client-limits.test.ts): a small answer, a body it reads to the
// end, and a large response a slow reader can stall on. Every answer names the worker, so a test can tell none died.
const big = Buffer.alloc(16 << 20, 0x61);

export default function app(req, res) {
  const path = req.url ?? '/';
  if (path.startsWith('/body')) {
    let length = 0;
    req.on('data', (chunk) => (length += chunk.length));
    // The body stalled and corral answered 408: the reader fails, and there is nothing left to answer.
    req.on('error', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`read ${length} bytes\n`);
    });
    return;
  }
  if (path.startsWith('/big')) {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': big.length });
    res.end(big);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain', 'x-worker': String(process.pid) });
  res.end('ok\n');
}
