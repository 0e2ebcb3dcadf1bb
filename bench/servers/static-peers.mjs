// The static-file peers: nginx (2 workers, sendfile), Caddy (file_server), uWSGI --static-map (2 processes) and sirv (one Node process), serving one directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNginxConfig } from '../lib/nginx-config.mjs';
import { checkCommand, checkModule } from '../lib/peers.mjs';
import { nodeBinary } from '../lib/node-binary.mjs';
import { spawnServer } from '../lib/processes.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** nginx as Debian ships it, with an access log like corral's, in the foreground; its files live under `work`. */
export function nginxServer({ name, dir, work }) {
  return {
    name,
    missing: checkCommand('nginx').missing,
    start(port, cpus) {
      const prefix = path.join(work, 'nginx');
      const conf = writeNginxConfig({
        prefix,
        listen: `127.0.0.1:${port}`,
        root: dir,
        types: 'text/html html; application/octet-stream bin;',
        http: '  tcp_nopush on;\n',
      });
      return spawnServer('nginx', ['-p', prefix, '-c', conf], { cpus });
    },
  };
}

/** Debian's Caddy with `file_server`: no admin endpoint, no automatic HTTPS, no access log (its default). */
export function caddyServer({ name, dir, work }) {
  return {
    name,
    missing: checkCommand('caddy').missing,
    start(port, cpus) {
      const home = path.join(work, 'caddy');
      mkdirSync(home, { recursive: true });
      const file = path.join(home, 'Caddyfile');
      writeFileSync(
        file,
        `{\n  admin off\n  auto_https off\n}\nhttp://127.0.0.1:${port} {\n  root * ${dir}\n  file_server\n}\n`,
      );
      return spawnServer('caddy', ['run', '--config', file, '--adapter', 'caddyfile'], {
        cpus,
        env: { HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home },
      });
    },
  };
}

/**
 * uWSGI's own HTTP socket with --static-map, a master and 2 worker processes. The python3 plugin is loaded only
 * because uWSGI refuses requests with no request plugin at all; no app is loaded. --http-socket speaks HTTP/1.0 and
 * closes each connection (its keep-alive variant, --http11-socket, holds a worker per connection: 2 workers then
 * serve 2 of wrk's 64 connections at a time), so wrk reconnects for every request and counts the closes as read
 * errors. SIGTERM stops it (--die-on-term; uWSGI's default is to reload on SIGTERM).
 */
export function uwsgiServer({ name, dir }) {
  return {
    name,
    missing: checkCommand('uwsgi').missing,
    start: (port, cpus) =>
      spawnServer(
        'uwsgi',
        [
          '--plugin',
          'python3',
          '--http-socket',
          `127.0.0.1:${port}`,
          '--static-map',
          `/=${dir}`,
          '--master',
          '--processes',
          '2',
          '--die-on-term',
        ],
        { cpus },
      ),
  };
}

/** sirv (sirv-cli's file server) with ETags, in one node:http process. */
export function sirvServer({ name, dir }) {
  const source = `import sirv from 'sirv'; import http from 'node:http'; http.createServer(sirv(${JSON.stringify(dir)}, { etag: true })).listen(Number(process.env.BENCH_PORT), '127.0.0.1');`;
  return {
    name,
    missing: checkModule('sirv').missing,
    start: (port, cpus) =>
      spawnServer(nodeBinary(), ['--input-type=module', '-e', source], {
        cpus,
        cwd: root,
        env: { BENCH_PORT: String(port) },
      }),
  };
}
