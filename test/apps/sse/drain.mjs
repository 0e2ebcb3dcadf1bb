// An endless event stream that ends itself when corral says the worker drains (the onDrain export).
const open = new Set();

export default function app(_req, res) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(`data: hello from ${process.pid}\n\n`);
  const timer = setInterval(() => res.write('data: tick\n\n'), 200);
  const stream = { res, timer };
  open.add(stream);
  res.on('close', () => {
    clearInterval(timer);
    open.delete(stream);
  });
}

export function onDrain() {
  for (const { res, timer } of open) {
    clearInterval(timer);
    // Tells an EventSource to come back in a second: to another worker, or to this one's replacement.
    res.end('event: bye\nretry: 1000\ndata: going away\n\n');
  }
}
