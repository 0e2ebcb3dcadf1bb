// corral's glue for the frameworks whose build has no file that is a handler: it makes the app module's namespace itself.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { importUrl } from '../app/import-url.ts';
import { importFromProject, projectHas } from './project-package.ts';
import type { FrameworkName } from './types.ts';

type Namespace = Record<string, unknown>;

/**
 * The namespace an app module would have exported (`default` = the app, `upgrade`, `onShutdown`), built from the
 * framework's own API in the worker. `path` is the module path the framework's plan named.
 */
export function loadGlue(name: FrameworkName, path: string): Promise<Namespace> {
  switch (name) {
    case 'next':
      return nextApp(path);
    case 'react-router':
      return reactRouterApp(path);
    case 'nuxt':
      return nuxtApp(path);
    default:
      return Promise.reject(new Error(`corral has no glue for ${name}; its build is loaded as a module`));
  }
}

interface NextServer {
  prepare(): Promise<void>;
  getRequestHandler(): (req: unknown, res: unknown, parsedUrl?: unknown) => Promise<void>;
  /** What `next start` runs on an upgrade (getUpgradeHandler() does nothing outside dev); not in Next's types. */
  readonly upgradeHandler?: (req: unknown, socket: Duplex, head: unknown) => Promise<void>;
  close?(): Promise<void>;
}

/** The answer to an upgrade Next left alone: refused, rather than a connection left open. */
const UPGRADE_REFUSED = 'HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * Next.js as its custom-server API gives it: `next({ dev: false, dir })`, prepared, its request handler as a two-argument
 * listener (its third parameter is a parsed URL, not connect's `next`). Next hooks an 'upgrade' listener onto the
 * server of the first request it sees (corral's own) unless given `httpServer`: a stand-in takes it, so each upgrade
 * reaches Next once, through the handler `next start` uses; one Next leaves untouched is refused with a 404.
 */
async function nextApp(dir: string): Promise<Namespace> {
  const module = await importFromProject(dir, 'next');
  const create = (typeof module.default === 'function' ? module.default : (module.default as Namespace).default) as (
    options: object,
  ) => NextServer;
  const app = create({ dev: false, dir, httpServer: new EventEmitter() });
  await app.prepare();
  const handle = app.getRequestHandler();
  const namespace: Namespace = {
    default: (req: unknown, res: unknown) => handle(req, res),
    onShutdown: () => app.close?.(),
  };
  if (typeof app.upgradeHandler === 'function') {
    namespace.upgrade = async (req: unknown, socket: Duplex, head: unknown) => {
      await app.upgradeHandler!(req, socket, head);
      const untouched =
        !socket.destroyed &&
        !socket.writableEnded &&
        (socket as Partial<Socket>).bytesWritten === 0 &&
        socket.listenerCount('data') === 0;
      if (untouched) socket.end(UPGRADE_REFUSED);
    };
  }
  return namespace;
}

/**
 * React Router's server build is an object describing routes, not a handler: `createRequestHandler(build)` from the
 * project's own `react-router` (the copy the build imports) makes it a fetch handler, which corral's fetch adapter serves.
 */
async function reactRouterApp(buildFile: string): Promise<Namespace> {
  const build = await importUrl(pathToFileURL(buildFile).href);
  const router = await importFromProject(dirname(buildFile), 'react-router');
  const createRequestHandler = router.createRequestHandler as (
    build: unknown,
    mode?: string,
  ) => (request: Request) => Promise<Response>;
  const handle = createRequestHandler(build, 'production');
  return { default: { fetch: (request: Request) => handle(request) } };
}

interface CrosswsNodeAdapter {
  handleUpgrade(req: unknown, socket: Duplex, head: unknown): Promise<void> | void;
  closeAll?(code?: number, data?: string): void;
}

/**
 * Nitro's node-listener build (Nuxt): its `listener` export is the app. With WebSockets on, its `websocket` export
 * holds crossws hooks but no upgrade handler: crossws's Node adapter makes one, taken from the project's own crossws
 * (the version its h3 was built against) when it is installed, else corral's (a build's .output ships without it).
 */
async function nuxtApp(file: string): Promise<Namespace> {
  const build = await importUrl(pathToFileURL(file).href);
  const namespace: Namespace = { default: build.listener };
  const websocket = build.websocket;
  if (typeof websocket === 'object' && websocket !== null) {
    const dir = dirname(file);
    const adapterModule = projectHas(dir, 'crossws')
      ? await importFromProject(dir, 'crossws', './adapters/node')
      : ((await import('crossws/adapters/node')) as Namespace);
    const nodeAdapter = adapterModule.default as (options: unknown) => CrosswsNodeAdapter;
    const adapter = nodeAdapter(websocket);
    namespace.upgrade = (req: unknown, socket: Duplex, head: unknown) => adapter.handleUpgrade(req, socket, head);
    // Peers of a worker that stops are told it is going away (1001), so their clients reconnect to a new worker.
    namespace.onShutdown = () => adapter.closeAll?.(1001, 'server stopping');
  }
  return namespace;
}
