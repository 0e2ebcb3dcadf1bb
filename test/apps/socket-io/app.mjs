// An Express app with Socket.IO attached to its http.Server, as Socket.IO's docs set it up, minus listen(): corral serves the server.
import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';

const app = express();
app.get('/', (_req, res) => res.json({ pid: process.pid }));

const server = createServer(app);
const io = new Server(server);
io.on('connection', (socket) => {
  socket.emit('welcome', { pid: process.pid, transport: socket.conn.transport.name });
  socket.on('echo', (text, reply) => reply({ text, pid: process.pid }));
});

export default server;

export function onShutdown() {
  void io.close();
}
