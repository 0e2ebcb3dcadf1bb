// The same Koa app, exported as the (req, res) listener Koa's docs pass to http.createServer().
import app from './app.mjs';

export default app.callback();
