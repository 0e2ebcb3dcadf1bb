// Fits a loaded framework app to what its build expects of the server in front of it (headers, shutdown events).
import { statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { LoadedApp } from '../app/types.ts';
import type { FrameworkConfig } from '../config/types.ts';

/**
 * - `forwardedProto`: the build takes the scheme from X-Forwarded-Proto (SvelteKit's PROTOCOL_HEADER) and assumes
 *   https without it, so a request that came to corral itself gets the header its connection implies. One from a
 *   trusted proxy is kept; the front end has already removed any an untrusted peer sent (forwarded-allow-ips).
 * - SvelteKit's own server emits `sveltekit:shutdown` once it has closed; apps listen for it to close pools, so the
 *   worker emits it after its last request too.
 * - SvelteKit's handler serves build/client itself (sirv) from a list of the files it read at import, and streams a
 *   listed file with no error handler: once a new build has replaced build/client, a request for an old hashed file
 *   (a browser holding a page of the old build, mid-reload) throws ENOENT out of the stream and kills the worker with
 *   every request it holds. A file under /_app/immutable/ that is not on disk gets the kit's own 404 from here instead.
 */
export function fitForFramework(app: LoadedApp, framework: FrameworkConfig): LoadedApp {
  const fitted: LoadedApp = { ...app };
  if (framework.forwardedProto) {
    const handler = app.handler;
    fitted.handler = (req, res) => {
      if (req.headers['x-forwarded-proto'] === undefined) addForwardedProto(req);
      return handler(req, res);
    };
  }
  if (framework.name === 'sveltekit') {
    const handler = fitted.handler;
    const client = join(framework.dir, 'build/client');
    fitted.handler = (req, res) => (vanishedAsset(req, client) ? notFound(req, res) : handler(req, res));
    const own = app.onShutdown;
    fitted.onShutdown = async () => {
      await own?.();
      (process.emit as (event: string, ...args: unknown[]) => boolean).call(process, 'sveltekit:shutdown', 'SIGTERM');
    };
  }
  return fitted;
}

function addForwardedProto(req: IncomingMessage): void {
  const scheme = (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
  req.headers['x-forwarded-proto'] = scheme;
  // An HTTP/2 request's rawHeaders is rebuilt from its headers on each read; an HTTP/1 one is the list itself.
  if (!Object.isFrozen(req.rawHeaders)) req.rawHeaders.push('X-Forwarded-Proto', scheme);
}

/** SvelteKit's hashed files (its default appDir): only ever static files of build/client, never routes. */
const IMMUTABLE_PATH = /^\/_app\/immutable\/[\w.@~-]+(?:\/[\w.@~-]+)*$/;

/** A GET or HEAD of a hashed file that build/client does not hold (now). */
function vanishedAsset(req: IncomingMessage, client: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (!IMMUTABLE_PATH.test(path) || path.includes('..')) return false;
  return statSync(join(client, path), { throwIfNoEntry: false })?.isFile() !== true;
}

/** What the kit answers for a path under its appDir that it does not have. */
function notFound(req: IncomingMessage, res: ServerResponse): void {
  res.statusCode = 404;
  res.setHeader('cache-control', 'public, max-age=0, must-revalidate');
  res.end(req.method === 'HEAD' ? undefined : 'Not found');
}
