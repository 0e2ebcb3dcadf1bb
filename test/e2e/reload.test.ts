// End to end: rolling reload on SIGHUP and `corral reload`, a config that turned invalid, a new worker that cannot load, `corral stop`, pidfile, SIGTTIN/SIGTTOU.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCorral, startCorral, stopAll, type LogLine, type Running } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-reload-'));
afterEach(stopAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A module that answers its version and its pid, in a directory of its own. */
function versionApp(name: string, version: string): string {
  const path = join(dir, name);
  writeFileSync(path, `export default (req, res) => res.end('${version} ' + process.pid);\n`);
  return path;
}

async function answer(corral: Running): Promise<{ version: string; pid: number }> {
  const [version = '', pid = ''] = (await (await fetch(corral.url)).text()).split(' ');
  return { version, pid: Number(pid) };
}

const count = (corral: Running, match: (line: LogLine) => boolean) => corral.logs.filter(match).length;
const isReloaded = (line: LogLine) => line.msg === 'reloaded';

describe('rolling reload', () => {
  it('loads the new code on SIGHUP, each new worker serving before an old one retires', async () => {
    const module = versionApp('sighup.mjs', 'v1');
    const corral = await startCorral(['--http', '127.0.0.1:0', '--module', module, '--processes', '2']);
    versionApp('sighup.mjs', 'v2');
    process.kill(corral.pid, 'SIGHUP');
    await corral.waitFor(isReloaded);
    expect((await answer(corral)).version).toBe('v2');
    await corral.waitFor(() => count(corral, (line) => line.msg === 'worker exited') === 2);
    const master = corral.logs.filter((line) => line.role === 'master');
    for (const slot of [1, 2]) {
      const [first, second] = master.flatMap((line, index) =>
        line.msg === 'worker ready' && line.worker === slot ? [{ index, pid: line.workerPid }] : [],
      );
      const retired = master.findIndex((line) => line.msg === 'worker exited' && line.workerPid === first?.pid);
      expect(second?.index).toBeLessThan(retired);
    }
    expect(count(corral, (line) => line.msg === 'worker exited' && line.reason === 'reload')).toBe(2);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });

  it('keeps the old config when the new one is invalid; `corral reload` applies a fixed one', async () => {
    const module = versionApp('config.mjs', 'v1');
    const config = join(dir, 'app.yaml');
    const pidfile = join(dir, 'config.pid');
    const good = `http: ["127.0.0.1:0"]\nmodule: ${module}\nprocesses: 1\npidfile: ${pidfile}\n`;
    writeFileSync(config, good);
    const corral = await startCorral([config]);
    expect(readFileSync(pidfile, 'utf8').trim()).toBe(String(corral.pid));
    writeFileSync(config, `${good}processes: many\n`);
    expect((await runCorral(['reload', config.replace('app.yaml', 'other.yaml'), '--pidfile', pidfile])).code).toBe(2);
    process.kill(corral.pid, 'SIGHUP');
    const refused = await corral.waitFor(
      (line) => line.msg === 'reload refused: the config is invalid now; the workers keep running on the old one',
    );
    expect(JSON.stringify(refused.problems)).toContain('processes');
    expect((await answer(corral)).version).toBe('v1');
    writeFileSync(config, good.replace('processes: 1', 'processes: 2'));
    const reload = await runCorral(['reload', config]);
    expect(reload.code).toBe(0);
    const reloaded = await corral.waitFor(isReloaded);
    expect(reloaded.workers).toHaveLength(2);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });

  it('stops when a new worker cannot load the app, and the old workers keep serving', async () => {
    const module = versionApp('broken.mjs', 'v1');
    const corral = await startCorral(['--http', '127.0.0.1:0', '--module', module, '--processes', '2']);
    const old = new Set(corral.logs.filter((line) => line.msg === 'worker ready').map((line) => line.workerPid));
    writeFileSync(module, "throw new Error('the new code is broken');\n");
    process.kill(corral.pid, 'SIGHUP');
    const stopped = await corral.waitFor(
      (line) => line.msg === 'reload stopped: a new worker could not start; the old workers keep serving',
    );
    expect(String(stopped.reason)).toContain('the new code is broken');
    expect(stopped.replaced).toBe(0);
    for (let n = 0; n < 4; n++) expect(old.has((await answer(corral)).pid)).toBe(true);
    expect(count(corral, (line) => line.msg === 'worker exited' && line.reason === 'reload')).toBe(0);
    expect(corral.child.exitCode).toBeNull();
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });

  it('stops at once on a SIGTERM that comes while a new worker is starting', async () => {
    // The new worker is stopped before it is ready; the master must not wait for graceful-timeout (30 s) for it.
    const module = versionApp('term-during-reload.mjs', 'v1');
    const corral = await startCorral(['--http', '127.0.0.1:0', '--module', module]);
    process.kill(corral.pid, 'SIGHUP');
    await corral.waitFor((line) => line.msg === 'reloading: starting new workers one at a time');
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited(5000)).toBe(0);
    expect(count(corral, (line) => line.msg === 'worker exited')).toBe(2);
  }, 15_000);
});

describe('corral stop', () => {
  it('stops the master named by the pidfile, waits for its exit, and vacuum removes the pidfile', async () => {
    const pidfile = join(dir, 'stop.pid');
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      versionApp('stop.mjs', 'v1'),
      '--pidfile',
      pidfile,
      '--vacuum',
    ]);
    const stop = await runCorral(['stop', '--pidfile', pidfile]);
    expect(stop).toMatchObject({ code: 0, stdout: `corral: master ${corral.pid} stopped\n` });
    expect(await corral.exited()).toBe(0);
    expect(existsSync(pidfile)).toBe(false);
    const again = await runCorral(['stop', '--pidfile', pidfile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is corral running?');
  });
});

describe('SIGTTIN and SIGTTOU', () => {
  it('add a worker, remove one, and never remove the last', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      versionApp('ttin.mjs', 'v1'),
      '--processes',
      '1',
    ]);
    process.kill(corral.pid, 'SIGTTIN');
    expect((await corral.waitFor((line) => line.msg === 'worker added')).workers).toBe(2);
    process.kill(corral.pid, 'SIGTTOU');
    expect((await corral.waitFor((line) => line.msg === 'worker removed')).workers).toBe(1);
    await corral.waitFor((line) => line.msg === 'worker exited' && line.reason === 'SIGTTOU' && line.worker === 2);
    process.kill(corral.pid, 'SIGTTOU');
    await corral.waitFor((line) => line.msg === 'SIGTTOU ignored: the last worker stays');
    expect((await answer(corral)).version).toBe('v1');
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });
});
