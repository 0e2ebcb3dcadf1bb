// The benchmark's fetch-style hello world: a Hono app, served by corral's fetch adapter and by @hono/node-server alike.
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.text('hello world\n'));
export default app;
