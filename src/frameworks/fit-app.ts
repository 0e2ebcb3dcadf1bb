// Fits a loaded framework app to what its build expects of the server in front of it (headers, shutdown events).
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { LoadedApp } from '../app/types.ts';
import type { FrameworkConfig } from '../config/types.ts';

/**
 * - `forwardedProto`: the build takes the scheme from X-Forwarded-Proto (SvelteKit's PROTOCOL_HEADER) and assumes
 *   https without it, so a request that came to corral itself gets the header its connection implies. One from a
 *   trusted proxy is kept; the front end has already removed any an untrusted peer sent (forwarded-allow-ips).
 * - SvelteKit's own server emits `sveltekit:shutdown` once it has closed; apps listen for it to close pools, so the
 *   worker emits it after its last request too.
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
