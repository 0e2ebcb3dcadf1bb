// End to end without a container engine: the Dockerfile's runtime stage performed by hand (its COPY, ENV, USER, EXPOSE, STOPSIGNAL and CMD read from the file), then the single executable run from that filesystem as PID 1 and as nobody; it serves and stops with exit 0 on SIGTERM.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY, startCorral, stopAll } from './harness.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The runtime stage of the Dockerfile: the instructions after its last FROM. */
interface RuntimeStage {
  base: string;
  runs: string[];
  /** [source, destination]: a path in the repository (or, with --from=build, in the build stage), an image path. */
  copies: { from: string | undefined; source: string; destination: string }[];
  env: Record<string, string>;
  user: string | undefined;
  expose: number[];
  stopSignal: string | undefined;
  cmd: string[];
}

function runtimeStage(dockerfile: string): RuntimeStage {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const last = lines.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true);
  const stage: RuntimeStage = {
    base: lines[last]?.split(/\s+/)[1] ?? '',
    runs: [],
    copies: [],
    env: {},
    user: undefined,
    expose: [],
    stopSignal: undefined,
    cmd: [],
  };
  for (const line of lines.slice(last + 1)) {
    const [word = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    switch (word.toUpperCase()) {
      case 'RUN':
        stage.runs.push(args);
        break;
      case 'COPY': {
        const from = /^--from=(\S+)$/.exec(rest[0] ?? '')?.[1];
        const [source = '', destination = ''] = from === undefined ? rest : rest.slice(1);
        stage.copies.push({ from, source, destination });
        break;
      }
      case 'ENV':
        for (const pair of rest) {
          const [key = '', ...value] = pair.split('=');
          stage.env[key] = value.join('=');
        }
        break;
      case 'USER':
        stage.user = args;
        break;
      case 'EXPOSE':
        stage.expose.push(...rest.map(Number));
        break;
      case 'STOPSIGNAL':
        stage.stopSignal = args;
        break;
      case 'CMD':
        stage.cmd = JSON.parse(args) as string[];
        break;
      default:
        throw new Error(`the container test does not know the Dockerfile instruction ${word}: teach it`);
    }
  }
  return stage;
}

const stage = runtimeStage(readFileSync(join(REPO, 'Dockerfile'), 'utf8'));
/** The build stage's WORKDIR holds the repository: its paths map back to this checkout. */
const BUILD_DIR = '/src/';
const rootfs = mkdtempSync(join(tmpdir(), 'corral-image-'));
afterAll(() => {
  stopAll();
  rmSync(rootfs, { recursive: true, force: true });
});

function canUnshare(): boolean {
  try {
    execFileSync('unshare', ['--pid', '--fork', '--kill-child', 'true'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** The image's filesystem, built by this stage's steps into `rootfs`. */
function buildImage(): void {
  chmodSync(rootfs, 0o755);
  for (const copy of stage.copies) {
    const source = copy.from === undefined ? join(REPO, copy.source) : join(REPO, copy.source.replace(BUILD_DIR, ''));
    const destination = join(rootfs, copy.destination);
    mkdirSync(copy.destination.endsWith('/') ? destination : dirname(destination), { recursive: true, mode: 0o755 });
    cpSync(source, destination, { recursive: true });
  }
  // The base image and the RUN steps (debian:bookworm-slim, apt-get install libatomic1): the shared libraries the
  // executable needs, from this Debian 12 machine, at the same paths.
  const executable = join(rootfs, stage.cmd[0] ?? '');
  for (const match of execFileSync('ldd', [executable], { encoding: 'utf8' }).matchAll(/(\/\S+\.so[.\d]*)/g)) {
    const library = match[1] ?? '';
    mkdirSync(join(rootfs, dirname(library)), { recursive: true, mode: 0o755 });
    cpSync(library, join(rootfs, library), { dereference: true });
  }
  mkdirSync(join(rootfs, 'proc'), { mode: 0o755 });
  mkdirSync(join(rootfs, 'tmp'), { mode: 0o1777 });
}

describe('the Dockerfile', () => {
  it('has a runtime stage corral can run as the brief says: non-root, SIGTERM, the config at the mounted path', () => {
    expect(stage.base).toMatch(/^debian:bookworm-slim$|^gcr\.io\/distroless\/cc/);
    expect(stage.user).toMatch(/^[1-9]\d*(:\d+)?$/); // a number: no /etc/passwd needed in the image
    expect(stage.stopSignal).toBe('SIGTERM');
    expect(stage.cmd).toEqual(['/usr/local/bin/corral', '/etc/corral/corral.yaml']);
    const config = stage.copies.find((copy) => copy.destination === '/etc/corral/corral.yaml');
    expect(config).toBeDefined();
    // The port the config serves on is the one the image exposes.
    const http = (parse(readFileSync(join(REPO, config?.source ?? ''), 'utf8')) as { http: string[] }).http;
    expect(http.map((address) => Number(address.split(':').at(-1)))).toEqual(stage.expose);
  });

  // The image holds the single executable: this runs in the single-executable pass of the suite (as root).
  describe.runIf(ENTRY === 'sea' && process.getuid?.() === 0 && canUnshare())(
    'its filesystem, run without an engine',
    () => {
      it('serves as PID 1 and as nobody from the image paths, and exits 0 on its STOPSIGNAL', async () => {
        if (!existsSync(join(REPO, 'dist/corral'))) throw new Error('dist/corral is missing: npm run build');
        buildImage();
        const [uid = '', gid = uid] = (stage.user ?? '').split(':');
        // A pid namespace with its own /proc (as a container has), then the image's root and user; PATH as Debian's images set it. The test binds
        // 127.0.0.1 only: CORRAL_HTTP overrides the image's :8080, as `docker run -e CORRAL_HTTP=...` would.
        const corral = await startCorral(stage.cmd.slice(1), {
          program: stage.cmd[0],
          cleanEnv: true,
          env: {
            ...stage.env,
            PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
            CORRAL_HTTP: '127.0.0.1:0',
          },
          wrapper: [
            'unshare',
            '--pid',
            '--fork',
            '--kill-child',
            `--mount-proc=${join(rootfs, 'proc')}`,
            'chroot',
            `--userspec=${uid}:${gid}`,
            rootfs,
          ],
          readyMs: 30_000,
        });
        const ready = await corral.waitFor((line) => line.msg === 'ready');
        expect(ready.masterPid).toBe(1);
        const page = await fetch(corral.url);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('Hello from corral');
        expect((await fetch(`${corral.url}/static/css/site.css`)).status).toBe(200);
        // The master (the one child of unshare, seen from here) runs as the image's user.
        const outside = Number(readFileSync(`/proc/${corral.pid}/task/${corral.pid}/children`, 'utf8').trim());
        const status = readFileSync(`/proc/${outside}/status`, 'utf8');
        expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe(uid);
        process.kill(outside, stage.stopSignal ?? 'SIGTERM');
        expect(await corral.exited()).toBe(0);
      });
    },
  );
});
