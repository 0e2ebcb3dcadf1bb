// End to end: single mode (master = false): how it names itself in logs and request ids, and what an uncaught exception does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startCorral, stopAll } from './harness.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/e2e/apps/${name}`, import.meta.url));
const single = ['--http', '127.0.0.1:0', '--no-master'];
const dir = mkdtempSync(join(tmpdir(), 'corral-single-'));

afterEach(stopAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('single mode', () => {
  it("logs as role 'single' and gives request ids the prefix s", async () => {
    const corral = await startCorral([...single, '--module', fixture('failing.mjs')]);
    const res = await fetch(`${corral.url}/throw`);
    expect(res.status).toBe(500);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^s-[0-9a-z]+$/);
    const access = await corral.waitFor((line) => line.msg === 'request' && line.reqId === id);
    expect(access).toMatchObject({ role: 'single', method: 'GET', path: '/throw', status: 500, remote: '127.0.0.1' });
    expect(corral.logs.find((line) => line.msg === 'ready')?.role).toBe('single');
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });

  it('logs an uncaught exception as fatal and exits 1', async () => {
    const module = join(dir, 'late-throw.mjs');
    writeFileSync(
      module,
      `export default (req, res) => { res.end('ok'); setTimeout(() => { throw new Error('late boom'); }, 10); };\n`,
    );
    const corral = await startCorral([...single, '--module', module]);
    await (await fetch(corral.url)).text();
    expect(await corral.exited()).toBe(1);
    const fatal = await corral.waitFor((line) => line.level === 'fatal');
    expect(fatal.msg).toBe('uncaught exception: corral exits');
    expect(JSON.stringify(fatal.err)).toContain('late boom');
  });
});
