// Writes the nginx config every nginx peer of the bench runs with: 2 workers in the foreground, sendfile, an access log like corral's, files under `prefix`.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `listen` is the listen directive's value, `server` any more lines of the server block; `workerConnections` and
 * `keepaliveRequests` (undefined: nginx's own default, 1000) default to the throughput runs' values; returns the
 * config file's path.
 */
export function writeNginxConfig({
  prefix,
  listen,
  root,
  types,
  server = '',
  http = '',
  workerConnections = 1024,
  keepaliveRequests = 100000,
}) {
  mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  const conf = path.join(prefix, 'nginx.conf');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `${kind}_temp_path ${prefix}/tmp;`)
    .join(' ');
  writeFileSync(
    conf,
    `worker_processes 2;\ndaemon off;\npid ${prefix}/nginx.pid;\nerror_log ${prefix}/logs/error.log;\nevents { worker_connections ${workerConnections}; }\n` +
      `http {\n  access_log ${prefix}/logs/access.log;\n  sendfile on;\n${http}${keepaliveRequests === undefined ? '' : `  keepalive_requests ${keepaliveRequests};\n`}  ${temp}\n` +
      `  types { ${types} }\n  server {\n    listen ${listen};\n${server}    root ${root};\n  }\n}\n`,
  );
  return conf;
}
