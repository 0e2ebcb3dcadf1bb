// Starts a real node:http listener on 127.0.0.1 that runs the static handler and answers fall-throughs with its own 404.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStaticHandler, type StaticHandler } from '../../src/static/handler.ts';
import { createFixtureTree, type FixtureTree } from './fixture-tree.ts';

export const FALL_THROUGH_BODY = 'fell through to the app';

export interface TestServer {
  port: number;
  /** Settles once every handler call started so far has settled. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestServer(handler: StaticHandler): Promise<TestServer> {
  const pending = new Set<Promise<unknown>>();
  const server = http.createServer((req, res) => {
    const call = Promise.resolve(handler(req, res)).then((handled) => {
      if (!handled) {
        res.writeHead(404, { 'Content-Type': 'text/plain', 'X-Fell-Through': '1' });
        res.end(FALL_THROUGH_BODY);
      }
    });
    pending.add(call);
    // A rejection would surface as an unhandled error and fail the run: the handler must never reject.
    void call.finally(() => pending.delete(call));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    idle: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One fixture tree served twice: mounted at "/" and at "/static", for tests that send the same paths to both. */
export interface MountedPair {
  tree: FixtureTree;
  rootMounted: TestServer;
  prefixMounted: TestServer;
  close(): Promise<void>;
}

export async function startMountedPair(): Promise<MountedPair> {
  const tree = createFixtureTree();
  const rootMounted = await startTestServer(createStaticHandler([{ prefix: '/', dir: tree.root }]));
  const prefixMounted = await startTestServer(createStaticHandler([{ prefix: '/static', dir: tree.root }]));
  return {
    tree,
    rootMounted,
    prefixMounted,
    async close() {
      await rootMounted.close();
      await prefixMounted.close();
      tree.remove();
    },
  };
}
