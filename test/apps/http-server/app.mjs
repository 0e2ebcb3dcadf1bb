// An http.Server around the Express app, as Express's docs create one with http.createServer(app): corral uses its
// 'request' listener and never listens on it.
import http from 'node:http';
import app from '../express/app.mjs';

export default http.createServer(app);
