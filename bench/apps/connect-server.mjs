// A bare node:http server around a connect-style handler export (SvelteKit's and Astro's builds): `PORT=N node bench/apps/connect-server.mjs FILE [EXPORT]`, the baseline bench/pair.mjs sets corral beside.
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [file, name = 'handler'] = process.argv.slice(2);
const handler = (await import(pathToFileURL(path.resolve(file)).href))[name];
http
  .createServer((req, res) =>
    handler(req, res, () => {
      res.statusCode = 404;
      res.end('Not Found');
    }),
  )
  .listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
