// The http.Server an app would have listened on, with ws attached to it by `new WebSocketServer({ server })`: corral drives both.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const server = createServer((_req, res) => res.end(`http ${process.pid}\n`));
const wss = new WebSocketServer({ server, path: '/live' });
wss.on('connection', (socket) => {
  socket.send(`pid ${process.pid}`);
  socket.on('message', (data) => socket.send(`echo ${data}`));
});

export default server;
