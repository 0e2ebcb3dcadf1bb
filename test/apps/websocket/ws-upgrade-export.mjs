// A plain (req, res) app with a WebSocket echo on /echo, taken through corral's `upgrade` export and ws in noServer mode.
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ noServer: true });
/** What the app saw of each closed connection, for the test to read over HTTP. */
const closed = [];

wss.on('connection', (socket, req) => {
  socket.send(
    JSON.stringify({
      hello: req.url,
      pid: process.pid,
      remote: req.socket.remoteAddress,
      forwardedFor: req.headers['x-forwarded-for'] ?? null,
    }),
  );
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  socket.on('close', (code) => closed.push(code));
});

export default function app(_req, res) {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ pid: process.pid, closed }));
}

export function upgrade(req, socket, head) {
  if (req.url !== '/echo') {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
}

/** Closes the WebSockets politely when the worker stops. */
export function onShutdown() {
  for (const client of wss.clients) client.close(1001, 'server going away');
}
