// A Hono app with WebSockets beside it: Hono answers requests, ws takes the upgrades through the `upgrade` function on the exported object.
import { Hono } from 'hono';
import { WebSocketServer } from 'ws';

const app = new Hono();
app.get('/', (c) => c.text('hono'));

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`hono ${data}`)));

export default {
  fetch: app.fetch,
  upgrade(req, socket, head) {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  },
};
