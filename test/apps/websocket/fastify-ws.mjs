// A Fastify app with ws attached to fastify.server (where Fastify's WebSocket plugins attach): corral drives that server's upgrades.
import Fastify from 'fastify';
import { WebSocketServer } from 'ws';

const fastify = Fastify();
fastify.get('/', async () => ({ framework: 'fastify' }));

const wss = new WebSocketServer({ server: fastify.server, path: '/ws' });
wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`fastify ${data}`)));

export default fastify;
