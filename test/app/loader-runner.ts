// Child-process entry for the loader tests: loads each app given on the command line and prints one JSON line per app.
// It is bundled to CommonJS in the test's beforeAll, as corral is, because vitest would intercept the loader's import().
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadApp } from '../../src/app/load.ts';
import type { NodeHandler } from '../../src/app/types.ts';

interface Outcome {
  ref: string;
  shape?: string;
  name?: string;
  body?: string;
  error?: { name: string; code: unknown; exitCode: unknown; message: string };
}

async function get(handler: NodeHandler): Promise<string> {
  const server = http.createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(`handler failed: ${String(error)}`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/probe`);
    return await response.text();
  } finally {
    server.close();
  }
}

async function run(ref: string): Promise<Outcome> {
  const at = ref.lastIndexOf('#');
  const file = at === -1 ? ref : ref.slice(0, at);
  const exportName = at === -1 ? undefined : ref.slice(at + 1);
  try {
    const app = await loadApp({ file, exportName });
    return { ref, shape: app.shape, name: app.name, body: await get(app.handler) };
  } catch (error) {
    const e = error as Error & { code?: unknown; exitCode?: unknown };
    return { ref, error: { name: e.name, code: e.code, exitCode: e.exitCode, message: e.message } };
  }
}

async function main(): Promise<void> {
  for (const ref of process.argv.slice(2)) {
    process.stdout.write(`${JSON.stringify(await run(ref))}\n`);
  }
}

void main();
