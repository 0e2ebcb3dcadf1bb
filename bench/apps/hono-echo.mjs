// The benchmark's POST JSON echo (srvx's bench shape): reads a request header and sends the JSON body back with it, on Hono.
import { Hono } from 'hono';

const app = new Hono();
app.post('/echo', async (c) => c.json({ ...(await c.req.json()), agent: c.req.header('user-agent') ?? null }));
// The bench waits for a 200 on GET / before it starts.
app.get('/', (c) => c.text('ready\n'));
export default app;
