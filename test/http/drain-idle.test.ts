// The drain's idle grace against a real listener on 127.0.0.1 port 0: an idle keep-alive connection may bring one more request, answered with Connection: close; then it is closed.
import { Agent, get } from 'node:http';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startFrontEnd, type FrontEnd } from '../../src/http/front-end.ts';
import { createPipeline } from '../../src/http/pipeline.ts';

const GRACE_MS = 300;
let frontEnd: FrontEnd | undefined;
const agents: Agent[] = [];
afterEach(async () => {
  await frontEnd?.drain();
  for (const agent of agents) agent.destroy();
  frontEnd = undefined;
});

async function start(): Promise<{ url: string; agent: Agent }> {
  frontEnd = await startFrontEnd(
    [{ kind: 'tcp', host: '127.0.0.1', port: 0, text: '127.0.0.1:0' }],
    (isDraining) =>
      createPipeline({
        log: pino({ enabled: false }),
        lines: { writeLine: () => {}, bindingsJson: '' },
        idPrefix: 'w1',
        serveStatic: undefined,
        app: (_req, res) => void res.end('ok'),
        isDraining,
      }),
    { idleGraceMs: GRACE_MS },
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return { url: `http://${frontEnd.addresses[0]}/`, agent };
}

function ask(url: string, agent: Agent): Promise<{ connection: string | undefined; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent }, (res) => {
      res.resume().on('end', () => resolve({ connection: res.headers.connection, reused: req.reusedSocket }));
    });
    req.on('error', reject);
  });
}

describe('drain with idle keep-alive connections', () => {
  it('answers a request that comes on an idle connection during the grace, with Connection: close', async () => {
    const { url, agent } = await start();
    expect(await ask(url, agent)).toEqual({ connection: 'keep-alive', reused: false });
    const drained = frontEnd?.drain();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await ask(url, agent)).toEqual({ connection: 'close', reused: true });
    await drained;
    await frontEnd?.closed();
  });

  it('closes an idle connection once it has been idle for the grace', async () => {
    const { url, agent } = await start();
    await ask(url, agent);
    const started = performance.now();
    void frontEnd?.drain();
    await frontEnd?.closed();
    expect(performance.now() - started).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(performance.now() - started).toBeLessThan(GRACE_MS + 500);
  });
});
