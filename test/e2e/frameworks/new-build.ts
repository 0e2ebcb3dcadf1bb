// A new build of a framework app picked up by a reload (SIGHUP), for the framework tests (issue 14): a scratch copy of
// the built app (never the cached build itself), corral started on it, a changed source rebuilt in place, SIGHUP,
// then the new page, its new hashed asset from corral's static path, and the requests made across the switch.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { startClients } from '../../../bench/reload-clients.mjs';
import type { Counts } from '../../../bench/reload-clients.mjs';
import { buildEnv, builtApp } from '../../apps/frameworks.mjs';
import { send } from '../app-client.ts';
import { startCorral, type LogLine, type Running } from '../harness.ts';

/** Scratch copies live beside the cached builds (same file system for hard links, same directories above them). */
const SCRATCH = fileURLToPath(new URL('../../../.cache/new-builds/', import.meta.url));
/** corral's static path: its ETag is "size-mtime" in hex (an app's differs). */
const CORRAL_ETAG = /^"[0-9a-f]+-[0-9a-f]+"$/;
/** The log lines that end a reload: done, or stopped by a worker that could not start, or refused (bad config). */
const RELOAD_END = /^(reloaded$|reload stopped|reload refused)/;
/** A build gets this long before it is killed (a cold one on 2 cores takes 10-60 s). */
const BUILD_MS = 180_000;

/** A change to one file of the scratch copy: `from` replaced by `to` (which must be there), or `content` written. */
export type Edit = { file: string; from: string; to: string } | { file: string; content: string };

export interface NewBuildCase {
  /** The app's directory name under test/apps/ (its build under .cache/apps/), and the framework's for the log. */
  name: string;
  title: string;
  /**
   * How the copy gets the cached node_modules: a symlink per package, or (for a bundler that refuses packages outside
   * its root, Next's Turbopack) a tree of hard links, where a build may add files but must not rewrite one.
   */
  nodeModules: 'symlink' | 'hardlink';
  /** The source changes of the new build; they must change the page's text and at least one of its assets. */
  edits: Edit[];
  /** corral's arguments for a project directory (as the framework's test starts it). */
  args: (dir: string) => string[];
  env?: NodeJS.ProcessEnv;
  /** The server-rendered page; `marker` is text only the new build's page shows. */
  page: string;
  marker: string;
  /** The asset URLs (absolute paths) a page's HTML names. */
  assets: (html: string) => string[];
  /** Where corral serves assets from: URLs under `prefix` are files under `dir` (relative to the project). */
  served: { prefix: string; dir: string };
}

/** What a client that loads a page and then the assets it names saw, by the build the page came from. */
export interface Seen {
  pages: { v1: number; v2: number; failed: number };
  /** Asset answers by status, for pages of the old build and of the new one. */
  v1Assets: Record<string, number>;
  v2Assets: Record<string, number>;
}

export interface NewBuildOutcome {
  buildMs: number;
  /** The page loop of 8 clients across the SIGHUP (until the old workers have exited). */
  load: Counts;
  /**
   * A client loading the page while the new build was written over the old (the page alone: a browser asking the old
   * workers for assets the build removed could make an app fail, and the old build must still be served at SIGHUP).
   */
  duringBuild: Seen;
  /** A browser-like client across the reload: the page, then each asset it names. */
  duringReload: Seen;
  /** The assets of the new page that are new (URL or bytes), each checked against the file on disk. */
  changedAssets: string[];
  /** corral's warnings and errors (a worker that died and was replaced, an app error) during the build and the reload. */
  complaints: { build: LogLine[]; reload: LogLine[] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A scratch copy of the cached build of `name` (without node_modules, then linked to the cache's). */
export function scratchCopy(name: string, nodeModules: 'symlink' | 'hardlink'): string {
  const built = builtApp(name);
  mkdirSync(SCRATCH, { recursive: true });
  const dir = mkdtempSync(join(SCRATCH, `${name}-`));
  cpSync(built, dir, {
    recursive: true,
    preserveTimestamps: true,
    verbatimSymlinks: true,
    filter: (from) => from !== join(built, 'node_modules'),
  });
  const modules = join(built, 'node_modules');
  if (nodeModules === 'hardlink') execFileSync('cp', ['-al', modules, join(dir, 'node_modules')]);
  else {
    // Each package a symlink, in a directory of the copy's own: the caches tools write there (.vite, .astro, .cache)
    // are the copy's, never the cached build's.
    mkdirSync(join(dir, 'node_modules'));
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.') && entry !== '.bin' && entry !== '.package-lock.json') continue;
      symlinkSync(join(modules, entry), join(dir, 'node_modules', entry));
    }
  }
  return dir;
}

export function applyEdits(dir: string, edits: Edit[]): void {
  for (const edit of edits) {
    const path = join(dir, edit.file);
    if ('content' in edit) {
      writeFileSync(path, edit.content);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    if (!text.includes(edit.from)) throw new Error(`${edit.file} has no "${edit.from}" to change`);
    writeFileSync(path, text.replace(edit.from, edit.to));
  }
}

/**
 * `npm run build` in `dir`, without blocking the event loop (corral's log pipe and the clients keep running); killed
 * with its process group after `ms`. Resolves with the time it took; rejects with the output's tail.
 */
export function rebuild(dir: string, ms = BUILD_MS): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], {
      cwd: dir,
      env: buildEnv(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, ms);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Date.now() - started);
      else
        reject(
          new Error(`npm run build in ${dir}: ${signal ?? `exit ${code}`} after ${Date.now() - started} ms\n${output}`),
        );
    });
  });
}

/** A client that loads the page (and with `assets`, then each asset it names), over and over until stopped. */
function browserLoop(base: string, c: NewBuildCase, assets: boolean): { stop: () => Promise<Seen> } {
  const seen: Seen = { pages: { v1: 0, v2: 0, failed: 0 }, v1Assets: {}, v2Assets: {} };
  let running = true;
  const loop = (async () => {
    while (running) {
      let html: string;
      try {
        const page = await send(base, c.page);
        if (page.status !== 200) {
          seen.pages.failed++;
          await sleep(10);
          continue;
        }
        html = page.text();
      } catch {
        seen.pages.failed++;
        await sleep(10);
        continue;
      }
      const build = html.includes(c.marker) ? 'v2' : 'v1';
      seen.pages[build]++;
      const tally = build === 'v2' ? seen.v2Assets : seen.v1Assets;
      for (const asset of assets ? c.assets(html) : []) {
        const status = await send(base, asset).then(
          (reply) => String(reply.status),
          (err: NodeJS.ErrnoException) => err.code ?? 'error',
        );
        tally[status] = (tally[status] ?? 0) + 1;
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return seen;
    },
  };
}

/** The asset URLs of a page and each one's bytes as corral serves them now. */
async function fetchAssets(base: string, html: string, c: NewBuildCase): Promise<Map<string, Buffer>> {
  const bodies = new Map<string, Buffer>();
  for (const url of new Set(c.assets(html))) {
    const reply = await send(base, url);
    expect(reply.status, url).toBe(200);
    bodies.set(url, reply.body);
  }
  return bodies;
}

/**
 * The whole proof: corral serving a copy of the build; the copy rebuilt with `edits`; SIGHUP; the new page and its new
 * assets served, with no failed request among the clients running across the reload. Stops its corral and removes the
 * copy whatever happens.
 */
export async function reloadOntoNewBuild(c: NewBuildCase): Promise<NewBuildOutcome> {
  const dir = scratchCopy(c.name, c.nodeModules);
  let corral: Running | undefined;
  try {
    corral = await startCorral(c.args(dir), { readyMs: 60_000, env: c.env });
    const running = corral;
    const old = await send(corral.url, c.page);
    expect(old.status).toBe(200);
    expect(old.text()).not.toContain(c.marker);
    const oldAssets = await fetchAssets(corral.url, old.text(), c);
    expect(oldAssets.size).toBeGreaterThan(0);

    // The new build is written over the old while the old workers serve.
    const complaints = (from: number, to?: number) =>
      running.logs
        .slice(from, to)
        .filter((line) => line.level === 'warn' || line.level === 'error' || line.level === 'fatal');
    const beforeBuild = running.logs.length;
    applyEdits(dir, c.edits);
    const buildProbe = browserLoop(corral.url, c, false);
    const buildMs = await rebuild(dir).finally(buildProbe.stop);
    const duringBuild = await buildProbe.stop();
    const beforeReload = running.logs.length;
    // The old workers still serve the old build (none died and came back on the new one): what changes is SIGHUP's doing.
    const stillOld = await send(corral.url, c.page);
    expect(stillOld.status).toBe(200);
    expect(stillOld.text(), JSON.stringify(complaints(beforeBuild))).not.toContain(c.marker);

    const retired = () =>
      running.logs.filter((line) => line.msg === 'worker exited' && line.reason === 'reload').length;
    const load = startClients({ url: `${corral.url}${c.page}`, clients: 8 });
    const reloadProbe = browserLoop(corral.url, c, true);
    await sleep(1000);
    const sent = new Date().toISOString();
    process.kill(corral.pid, 'SIGHUP');
    const ended = await corral.waitFor(
      (line) => RELOAD_END.test(String(line.msg)) && String(line.time) >= sent,
      90_000,
    );
    expect(ended.msg, JSON.stringify(ended)).toBe('reloaded');
    for (const end = Date.now() + 30_000; retired() < 2 && Date.now() < end; ) await sleep(100);
    await sleep(500);
    load.stop();
    const [counts, duringReload] = await Promise.all([load.done, reloadProbe.stop()]);
    const complained = {
      build: complaints(beforeBuild, beforeReload),
      reload: complaints(beforeReload),
    };
    console.log(report(c.title, { buildMs, load: counts, duringBuild, duringReload, complaints: complained }));
    expect(retired()).toBe(2);

    const page = await send(corral.url, c.page);
    expect(page.status).toBe(200);
    expect(page.text()).toContain(c.marker);
    const newAssets = await fetchAssets(corral.url, page.text(), c);
    const changedAssets: string[] = [];
    for (const [url, body] of newAssets) {
      expect(url.startsWith(c.served.prefix), url).toBe(true);
      const file = join(dir, c.served.dir, url.slice(c.served.prefix.length));
      expect(body.equals(readFileSync(file)), `${url} is ${file}`).toBe(true);
      const before = oldAssets.get(url);
      if (before === undefined || !before.equals(body)) changedAssets.push(url);
    }
    expect(changedAssets.length, 'an asset of the new page is new').toBeGreaterThan(0);
    for (const url of changedAssets) {
      const reply = await send(corral.url, url);
      expect(reply.headers.etag, `${url} from corral's static path`).toMatch(CORRAL_ETAG);
    }
    expect(counts.ok).toBeGreaterThan(50);
    expect(counts).toMatchObject({ failed: 0, refused: 0, status5xx: 0, errors: {} });
    expect(duringReload.pages.failed).toBe(0);
    // Every page of the new build names assets that are there.
    expect(Object.keys(duringReload.v2Assets).filter((status) => status !== '200')).toEqual([]);

    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited(40_000)).toBe(0);
    return { buildMs, load: counts, duringBuild, duringReload, changedAssets, complaints: complained };
  } finally {
    if (corral !== undefined && corral.child.exitCode === null && corral.child.signalCode === null) {
      corral.child.kill('SIGKILL');
      await corral.exited(10_000).catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line for the test's output: the rebuild's time, what the clients saw, what corral complained of. */
function report(title: string, outcome: Omit<NewBuildOutcome, 'changedAssets'>): string {
  const { buildMs, load, duringBuild, duringReload, complaints } = outcome;
  const said = (lines: LogLine[]) =>
    JSON.stringify(
      lines.map((line) => {
        const err = line.err as { message?: string } | undefined;
        return `${line.level}: ${line.msg}${err?.message === undefined ? '' : ` (${err.message.slice(0, 160)})`}`;
      }),
    );
  return (
    `${title}, a new build and SIGHUP: rebuilt in ${(buildMs / 1000).toFixed(1)} s; ` +
    `page load across the reload ${JSON.stringify(load)}; page client during the build ${JSON.stringify(duringBuild)}; ` +
    `page+assets client across the reload ${JSON.stringify(duringReload)}; ` +
    `corral's complaints during the build ${said(complaints.build)}, during the reload ${said(complaints.reload)}`
  );
}
