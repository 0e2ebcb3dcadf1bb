// The stats server in the master: plain node:http, read-only (GET and HEAD), loopback-only unless a token is set; serves the dashboard, /stats.json and /metrics.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ListenAddress, StatsConfig } from '../config/types.ts';
import { listen } from '../http/listen.ts';
import type { Logger } from '../log/logger.ts';
import { checkAccess } from './access.ts';

/** One route: its content type and the body, made per request. */
interface Route {
  type: string;
  body: () => string;
}

type Routes = Readonly<Record<string, Route>>;

/** What the stats server serves: the dashboard page, the snapshot as JSON and the metrics text. */
export interface StatsPages {
  dashboard: () => string;
  json: () => string;
  metrics: () => string;
  metricsType: string;
}

export interface StatsServer {
  /** The addresses bound (port 0 made real), stats first. */
  addresses: string[];
  close(): Promise<void>;
}

/** Answers one request of a stats listener with `routes`, once the client may read them. */
function statsHandler(routes: Routes, token: string | undefined) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const text = 'text/plain; charset=utf-8';
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(405, text, 'the stats address is read-only: GET or HEAD\n', { allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://stats.invalid');
    const decision = checkAccess(
      {
        peer: req.socket.remoteAddress,
        host: req.headers.host,
        authorization: req.headers.authorization,
        queryToken: url.searchParams.get('token'),
      },
      token,
    );
    if (!decision.ok)
      return send(
        decision.status,
        text,
        decision.message,
        decision.status === 401 ? { 'www-authenticate': 'Bearer' } : {},
      );
    const route = routes[url.pathname];
    if (route === undefined)
      return send(404, text, `no such page: ${Object.keys(routes).join(', ')} are served here\n`);
    let body: string;
    try {
      body = route.body();
    } catch (err) {
      return send(500, text, `the stats could not be made: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    send(200, route.type, body);
  };
}

async function serve(address: ListenAddress, routes: Routes, token: string | undefined, setting: string) {
  const server = createServer(statsHandler(routes, token));
  // Keep-alive connections of a browser tab must not hold the master's stop.
  server.keepAliveTimeout = 2000;
  const bound = await listen(server, address, setting);
  return { server, bound };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Binds the stats listener (and the metrics one when it has an address of its own); a bind failure is a ConfigError (exit 2). */
export async function startStatsServer(config: StatsConfig, pages: StatsPages, log: Logger): Promise<StatsServer> {
  const json = { type: 'application/json; charset=utf-8', body: pages.json };
  const metrics = { type: pages.metricsType, body: pages.metrics };
  const servers: Server[] = [];
  const addresses: string[] = [];
  try {
    if (config.address !== undefined) {
      const routes: Record<string, Route> = {
        '/': { type: 'text/html; charset=utf-8', body: pages.dashboard },
        '/stats.json': json,
      };
      if (config.metrics === true) routes['/metrics'] = metrics;
      const { server, bound } = await serve(config.address, routes, config.token, 'stats');
      servers.push(server);
      addresses.push(bound);
      log.info(
        { address: bound, metrics: config.metrics === true, token: config.token !== undefined },
        'stats listening',
      );
    }
    if (config.metrics !== undefined && config.metrics !== true) {
      const { server, bound } = await serve(config.metrics, { '/metrics': metrics }, config.token, 'metrics');
      servers.push(server);
      addresses.push(bound);
      log.info({ address: bound, token: config.token !== undefined }, 'metrics listening');
    }
  } catch (err) {
    await Promise.all(servers.map(closeServer));
    throw err;
  }
  return { addresses, close: () => Promise.all(servers.map(closeServer)).then(() => {}) };
}
