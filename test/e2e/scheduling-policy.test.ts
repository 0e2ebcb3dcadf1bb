// End to end: under either scheduling-policy, new connections reach both workers, and a reload cannot change the policy.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appFile } from './app-client.ts';
import { startCorral, stopAll, stopGracefully, type Running } from './harness.ts';

afterAll(stopAll);

/** GET / on a connection of its own; resolves with the body (the pid of the worker that answered). */
function getOnNewConnection(corral: Running): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/', corral.url), { agent: false, timeout: 8000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('scheduling-policy', () => {
  for (const policy of ['shared', 'round-robin']) {
    it(`${policy}: 40 concurrent new connections are answered by both workers`, async () => {
      const args = ['--http', '127.0.0.1:0', '--module', appFile('busy/pid.mjs'), '--processes', '2'];
      const corral = await startCorral([...args, '--scheduling-policy', policy]);
      const pids = await Promise.all(Array.from({ length: 40 }, () => getOnNewConnection(corral)));
      expect(new Set(pids).size).toBe(2);
      expect(await stopGracefully(corral)).toBe(0);
    }, 20_000);
  }

  it('is kept at a reload, with a warning that only a restart changes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-policy-'));
    const config = join(dir, 'corral.yaml');
    const write = (policy: string) =>
      writeFileSync(config, `http: 127.0.0.1:0\nmodule: ${appFile('busy/pid.mjs')}\nscheduling-policy: ${policy}\n`);
    write('shared');
    const corral = await startCorral([config]);
    try {
      write('round-robin');
      process.kill(corral.pid, 'SIGHUP');
      const warning = await corral.waitFor((line) => Array.isArray(line.changed), 8000);
      expect(warning.changed).toEqual(['schedulingPolicy']);
      expect(await getOnNewConnection(corral)).toMatch(/^\d+$/);
      expect(await stopGracefully(corral)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
