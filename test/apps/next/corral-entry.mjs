// corral's entry for this app: Next's custom-server API (next({ dev: false, dir }), prepare(), getRequestHandler()) without
// the http.createServer().listen() of Next's custom-server example, since corral owns the server.
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import next from 'next';

// Next hooks an 'upgrade' listener onto the server of the first request it sees (req.socket.server, corral's own), or
// onto `httpServer` when given one: this stand-in takes that listener, so upgrades reach Next once, through `upgrade`.
const standIn = new EventEmitter();
const app = next({ dev: false, dir: fileURLToPath(new URL('.', import.meta.url)), httpServer: standIn });

export default app.prepare().then(() => {
  const handle = app.getRequestHandler();
  return (req, res) => handle(req, res);
});

const REFUSED = 'HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

// What `next start` runs on an upgrade (app.getUpgradeHandler() is a no-op outside dev): Next ends upgrades to its own
// routes and proxies those its rewrites send to another host; one it leaves untouched is refused rather than left open.
export async function upgrade(req, socket, head) {
  await app.upgradeHandler(req, socket, head);
  if (!socket.destroyed && !socket.writableEnded && socket.bytesWritten === 0 && socket.listenerCount('data') === 0)
    socket.end(REFUSED);
}
