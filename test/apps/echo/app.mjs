// Answers every request with what node:http read of it, as JSON: method, target, version, raw headers, body and
// trailers (strings of code points 0-255, one per byte), and the worker's pid. The replay tests compare it with what
// they sent (gunicorn's request corpus, the smuggling cases).
export default function app(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  // A body cut short (the client left, or corral refused the rest): nothing to answer.
  req.on('error', () => {});
  // `delay=MS` in the query: the answer waits that long (a slow app, for pipelined requests).
  const delay = Number(/[?&]delay=(\d+)/.exec(req.url)?.[1] ?? 0);
  req.on('end', () => setTimeout(answer, delay));
  function answer() {
    const text = JSON.stringify({
      pid: process.pid,
      method: req.method,
      target: req.url,
      version: req.httpVersion,
      headers: req.rawHeaders,
      body: Buffer.concat(chunks).toString('latin1'),
      trailers: req.rawTrailers,
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}
