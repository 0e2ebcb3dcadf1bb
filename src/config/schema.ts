// Every corral setting, declared once: validation, the CLI flags and --help, env vars, docs/config.md and the JSON Schema all derive from this table.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { defineSetting, type Setting } from './setting.ts';
import { listenAddressType } from './values/listen-address.ts';
import { staticMountType, type MountSpec } from './values/static-mount.ts';
import { moduleRefType } from './values/module-ref.ts';
import { processCountType } from './values/processes.ts';
import { booleanType } from './values/boolean.ts';
import { directoryPathType } from './values/path.ts';
import { envEntryType } from './values/env-entry.ts';
import { secondsOrZeroType, secondsType } from './values/seconds.ts';
import { urlPathType } from './values/url-path.ts';
import { countType } from './values/count.ts';
import { filePathType } from './values/file-path.ts';
import { accountType } from './values/account.ts';
import { byteSizeType } from './values/byte-size.ts';
import { expiresRuleType, type ExpiresRule } from './values/expires-rule.ts';
import { fallbackRuleType, type FallbackSpec } from './values/fallback-rule.ts';
import { fileNameType } from './values/file-name.ts';
import { frameworkType, type FrameworkChoice } from './values/framework.ts';
import { logFormatType, type LogFormat } from './values/log-format.ts';
import { schedulingPolicyType, type SchedulingPolicy } from './values/scheduling-policy.ts';
import { trustedAddressesType } from './values/trusted-addresses.ts';
import { httpsListenType, type HttpsSpec } from './values/https-listen.ts';
import { acmeDirectoryType, domainNameType, emailType } from './values/acme.ts';
import { metricsType, statsAddressType, statsTokenType } from './values/stats-address.ts';
import type { ListenAddress, ModuleRef } from './types.ts';

/** Validated setting values, before paths are resolved and checked (see resolve.ts). */
export interface SettingValues {
  http: ListenAddress[];
  'static-map': MountSpec[];
  'static-index': string[];
  'static-expires': ExpiresRule[];
  'check-static': string[];
  'static-safe': string[];
  'static-gzip-all': boolean;
  'static-compress': boolean;
  'static-cache-size': number;
  'static-fallback': FallbackSpec[];
  'forwarded-allow-ips': string[][];
  'proxy-protocol': boolean;
  'limit-post': number;
  'client-header-timeout': number;
  'client-body-timeout': number;
  'keepalive-timeout': number;
  'send-timeout': number;
  'limit-request-line': number;
  'limit-request-fields': number;
  'limit-request-field-size': number;
  'max-header-size': number;
  'max-connections': number;
  'max-connections-per-ip': number;
  'abuse-ban': number;
  'sticky-sessions': boolean;
  'scheduling-policy': SchedulingPolicy;
  'disable-logging': boolean;
  'log-format': LogFormat;
  'log-slow': number;
  'log-4xx': boolean;
  'log-5xx': boolean;
  logto: string | undefined;
  'log-maxsize': number;
  'log-backups': number;
  'touch-logreopen': string[];
  module: ModuleRef | undefined;
  framework: FrameworkChoice;
  processes: number | 'auto';
  master: boolean;
  chdir: string | undefined;
  env: [string, string][];
  'graceful-timeout': number;
  'shutdown-delay': number;
  'health-path': string | undefined;
  vacuum: boolean;
  pidfile: string | undefined;
  'max-requests': number;
  'max-requests-delta': number;
  'reload-on-rss': number;
  'max-worker-lifetime': number | undefined;
  harakiri: number | undefined;
  'touch-reload': string[];
  watch: string[];
  stats: ListenAddress | undefined;
  metrics: boolean | ListenAddress;
  'stats-token': string | undefined;
  uid: string | number | undefined;
  gid: string | number | undefined;
  https: HttpsSpec[];
  http2: boolean;
  'http2-max-concurrent-streams': number;
  'http2-max-header-list-size': number;
  'http2-max-resets': number;
  'http2-max-control-frames': number;
  'http-to-https': boolean;
  'acme-domains': string[];
  'acme-email': string | undefined;
  'acme-directory': string;
  'acme-state-dir': string;
}

type Item<V> = V extends readonly (infer I)[] ? I : Exclude<V, undefined>;

export const settings: { readonly [K in keyof SettingValues]: Setting<Item<SettingValues[K]>> } = {
  http: defineSetting({
    key: 'http',
    type: listenAddressType,
    list: true,
    default: ['127.0.0.1:8080'],
    description:
      'Address to serve HTTP on: ":8080", "127.0.0.1:8080", "[::1]:8080", or a unix socket path. Repeat for more.',
    placeholder: 'ADDRESS',
  }),
  'static-map': defineSetting({
    key: 'static-map',
    type: staticMountType,
    list: true,
    mapping: true,
    default: [],
    description: 'Serve files under URL PREFIX from directory DIR, before the app sees the request. Repeat for more.',
    placeholder: 'PREFIX=DIR',
  }),
  'static-index': defineSetting({
    key: 'static-index',
    type: fileNameType,
    list: true,
    default: ['index.html'],
    description:
      'File served for a URL that names a directory; the first of the list that exists wins. Repeat for more.',
    placeholder: 'NAME',
  }),
  'static-expires': defineSetting({
    key: 'static-expires',
    type: expiresRuleType,
    list: true,
    default: [],
    description:
      'Files matching REGEX may be cached SECONDS (max-age, Expires; immutable from a year); first match wins. Repeat.',
    placeholder: 'REGEX SECONDS',
  }),
  'check-static': defineSetting({
    key: 'check-static',
    type: directoryPathType,
    list: true,
    default: [],
    description:
      'Serve any request path found under DIR (after static-map); a miss is kept for 0.1 s. Repeat for more.',
    placeholder: 'DIR',
  }),
  'static-safe': defineSetting({
    key: 'static-safe',
    type: directoryPathType,
    list: true,
    default: [],
    description:
      'Allow symlinks from static directories into DIR (else a symlink may not leave its directory). Repeat for more.',
    placeholder: 'DIR',
  }),
  'static-gzip-all': defineSetting({
    key: 'static-gzip-all',
    type: booleanType,
    default: true,
    description: 'Serve a precompressed sibling (FILE.br, FILE.zst, FILE.gz) to clients that accept its encoding.',
    placeholder: 'BOOL',
  }),
  'static-compress': defineSetting({
    key: 'static-compress',
    type: booleanType,
    default: true,
    description:
      'Compress text-like files from 1 KiB to 1 MiB without a sibling on the fly, once per version, kept in memory.',
    placeholder: 'BOOL',
  }),
  'static-cache-size': defineSetting({
    key: 'static-cache-size',
    type: byteSizeType,
    default: '64M',
    description:
      'Memory for hot static files (each up to 16 MiB, a quarter of it at most) per worker; 0 turns the cache off.',
    placeholder: 'BYTES',
  }),
  'static-fallback': defineSetting({
    key: 'static-fallback',
    type: fallbackRuleType,
    list: true,
    mapping: true,
    default: [],
    description:
      'Single-page apps: a GET under PREFIX that matches no file and accepts text/html gets FILE. Repeat for more.',
    placeholder: 'PREFIX=FILE',
  }),
  'forwarded-allow-ips': defineSetting({
    key: 'forwarded-allow-ips',
    type: trustedAddressesType,
    list: true,
    default: ['127.0.0.1,::1'],
    description:
      'Proxies whose X-Forwarded-For/-Proto/-Host are believed (IPs, CIDR ranges, "*"); others\' are removed.',
    placeholder: 'IPS',
  }),
  'proxy-protocol': defineSetting({
    key: 'proxy-protocol',
    type: booleanType,
    default: false,
    description:
      'Every http and https listener reads a PROXY protocol v1/v2 header first, from forwarded-allow-ips peers only.',
    placeholder: 'BOOL',
  }),
  'limit-post': defineSetting({
    key: 'limit-post',
    type: byteSizeType,
    default: 0,
    description:
      'Largest request body accepted; a larger one gets 413 before the app reads past the limit. 0: no limit.',
    placeholder: 'BYTES',
  }),
  // Slow and greedy HTTP/1.x clients (docs/security.md): timeouts and limits of the plain and HTTPS listeners.
  'client-header-timeout': defineSetting({
    key: 'client-header-timeout',
    type: secondsType,
    default: 30,
    description: "A connection whose request head is not all in within SECONDS gets 408 and is closed (nginx's name).",
    placeholder: 'SECONDS',
  }),
  'client-body-timeout': defineSetting({
    key: 'client-body-timeout',
    type: secondsType,
    default: 60,
    description: 'A request body that stalls (no byte for SECONDS) gets 408, or a closed connection once answered.',
    placeholder: 'SECONDS',
  }),
  'keepalive-timeout': defineSetting({
    key: 'keepalive-timeout',
    type: secondsType,
    default: 5,
    description:
      "An idle keep-alive connection is closed after SECONDS; keep it above a proxy's upstream idle timeout.",
    placeholder: 'SECONDS',
  }),
  'send-timeout': defineSetting({
    key: 'send-timeout',
    type: secondsType,
    default: 60,
    description: 'A client that takes no byte of its response for SECONDS is cut off and the response freed.',
    placeholder: 'SECONDS',
  }),
  'limit-request-line': defineSetting({
    key: 'limit-request-line',
    type: countType,
    default: 8190,
    description:
      "Longest request line (method, target, version) in bytes, else 414 (gunicorn's name); 0: no own limit.",
    placeholder: 'BYTES',
  }),
  'limit-request-fields': defineSetting({
    key: 'limit-request-fields',
    type: countType,
    default: 100,
    description: "Most header fields in a request, else 431 (gunicorn's name); 0: no limit of its own.",
    placeholder: 'N',
  }),
  'limit-request-field-size': defineSetting({
    key: 'limit-request-field-size',
    type: byteSizeType,
    default: 8190,
    description: "Largest header field (name and value) in bytes, else 431 (gunicorn's name); 0: no limit of its own.",
    placeholder: 'BYTES',
  }),
  'max-header-size': defineSetting({
    key: 'max-header-size',
    type: byteSizeType,
    default: '32K',
    description: "Largest request head (request line and all fields) in bytes, else 431 (Node's maxHeaderSize).",
    placeholder: 'BYTES',
  }),
  'max-connections': defineSetting({
    key: 'max-connections',
    type: countType,
    default: 4096,
    description:
      'Open connections per worker (all listeners); more are closed at once (like worker_connections); 0: no cap.',
    placeholder: 'N',
  }),
  'max-connections-per-ip': defineSetting({
    key: 'max-connections-per-ip',
    type: countType,
    default: 256,
    description:
      "Open connections from one address per worker (nginx's limit_conn); forwarded-allow-ips exempt; 0: no cap.",
    placeholder: 'N',
  }),
  'abuse-ban': defineSetting({
    key: 'abuse-ban',
    type: countType,
    default: 10,
    description:
      'Seconds a worker refuses new connections from an address whose HTTP/2 session it closed for abuse; 0: off.',
    placeholder: 'SECONDS',
  }),
  'sticky-sessions': defineSetting({
    key: 'sticky-sessions',
    type: booleanType,
    default: false,
    description: "The master hands each connection to a worker chosen by the client's address (for Socket.IO polling).",
    placeholder: 'BOOL',
  }),
  'scheduling-policy': defineSetting({
    key: 'scheduling-policy',
    type: schedulingPolicyType,
    default: 'shared',
    description:
      'Who accepts connections: each worker from the shared socket (shared), or the master, in turn (round-robin).',
    placeholder: 'POLICY',
  }),
  'disable-logging': defineSetting({
    key: 'disable-logging',
    type: booleanType,
    default: false,
    description: 'No access-log line per request; errors and lifecycle lines are still logged.',
    placeholder: 'BOOL',
  }),
  // Logging (docs/logging.md): the access line's format and filters, and the log file with its rotation.
  'log-format': defineSetting({
    key: 'log-format',
    type: logFormatType,
    default: 'json',
    description: 'Access line format: "json" (corral\'s own line) or "combined" (nginx\'s combined log format).',
    placeholder: 'FORMAT',
  }),
  'log-slow': defineSetting({
    key: 'log-slow',
    type: countType,
    default: 0,
    description: 'Only requests that took at least MS milliseconds get an access line (or one of log-4xx/5xx). 0: off.',
    placeholder: 'MS',
  }),
  'log-4xx': defineSetting({
    key: 'log-4xx',
    type: booleanType,
    default: false,
    description: 'Only 4xx responses get an access line (or one of log-5xx/log-slow); also with disable-logging.',
    placeholder: 'BOOL',
  }),
  'log-5xx': defineSetting({
    key: 'log-5xx',
    type: booleanType,
    default: false,
    description: 'Only 5xx responses get an access line (or one of log-4xx/log-slow); also with disable-logging.',
    placeholder: 'BOOL',
  }),
  logto: defineSetting({
    key: 'logto',
    type: filePathType,
    default: undefined,
    description: 'Append the log lines of the master and every worker to FILE (created 0640) instead of stdout.',
    placeholder: 'FILE',
  }),
  'log-maxsize': defineSetting({
    key: 'log-maxsize',
    type: byteSizeType,
    default: 0,
    description: 'Rotate the logto file to FILE.1 once it is past this size (approximate: docs/logging.md). 0: never.',
    placeholder: 'BYTES',
  }),
  'log-backups': defineSetting({
    key: 'log-backups',
    type: countType,
    default: 5,
    description: 'Rotated logto files kept: FILE.1 (newest) to FILE.N; older ones are deleted. 0: truncate in place.',
    placeholder: 'N',
  }),
  'touch-logreopen': defineSetting({
    key: 'touch-logreopen',
    type: filePathType,
    list: true,
    default: [],
    description: 'Reopen the logto file (as on SIGUSR1) when the modification time of FILE changes. Repeat for more.',
    placeholder: 'FILE',
  }),
  module: defineSetting({
    key: 'module',
    type: moduleRefType,
    default: undefined,
    description:
      'The app to load: a .js/.mjs/.cjs/.ts file, with ":name" to use a named export instead of the default.',
    placeholder: 'FILE[:EXPORT]',
  }),
  framework: defineSetting({
    key: 'framework',
    type: frameworkType,
    default: 'auto',
    description:
      'Serve the framework build in chdir (next, nuxt, astro...); auto: look when no module is set (docs/frameworks.md).',
    placeholder: 'NAME',
  }),
  processes: defineSetting({
    key: 'processes',
    aliases: ['workers'],
    type: processCountType,
    default: 1,
    description:
      'How many worker processes serve requests; "auto" means one per CPU, capped by the cgroup\'s CPU quota.',
    placeholder: 'N|auto',
  }),
  master: defineSetting({
    key: 'master',
    type: booleanType,
    default: true,
    description:
      'Run a master process that starts, watches and restarts the workers; false runs one process with no supervisor.',
    placeholder: 'BOOL',
  }),
  chdir: defineSetting({
    key: 'chdir',
    type: directoryPathType,
    default: undefined,
    description: 'Directory to change into before loading the app; other relative paths resolve against it.',
    placeholder: 'DIR',
  }),
  env: defineSetting({
    key: 'env',
    type: envEntryType,
    list: true,
    mapping: true,
    default: [],
    description: 'Environment variable to set before the app loads. Repeat for more.',
    placeholder: 'NAME=VALUE',
  }),
  'graceful-timeout': defineSetting({
    key: 'graceful-timeout',
    type: secondsType,
    default: 30,
    description: 'Seconds to let in-flight requests finish on stop before workers are killed.',
    placeholder: 'SECONDS',
  }),
  'shutdown-delay': defineSetting({
    key: 'shutdown-delay',
    type: secondsOrZeroType,
    default: 0,
    description:
      'On SIGTERM/SIGINT, seconds health-path answers 503 while corral still serves, before the graceful stop.',
    placeholder: 'SECONDS',
  }),
  'health-path': defineSetting({
    key: 'health-path',
    type: urlPathType,
    default: undefined,
    description:
      'URL path corral answers itself: 200 while this worker serves, 503 before it is ready and once it drains.',
    placeholder: 'PATH',
  }),
  vacuum: defineSetting({
    key: 'vacuum',
    type: booleanType,
    default: false,
    description: 'Remove files corral created (such as unix sockets, the pidfile) on exit.',
    placeholder: 'BOOL',
  }),
  pidfile: defineSetting({
    key: 'pidfile',
    type: filePathType,
    default: undefined,
    description: "Write the master's pid to FILE, for `corral reload` and `corral stop`; removed on exit with vacuum.",
    placeholder: 'FILE',
  }),
  'max-requests': defineSetting({
    key: 'max-requests',
    type: countType,
    default: 0,
    description: 'Replace a worker after it has answered N requests (its replacement serves first); 0 means never.',
    placeholder: 'N',
  }),
  'max-requests-delta': defineSetting({
    key: 'max-requests-delta',
    aliases: ['max-requests-jitter'],
    type: countType,
    default: 0,
    description: "Add a random 0..N to each worker's max-requests, so that workers do not all recycle at once.",
    placeholder: 'N',
  }),
  'reload-on-rss': defineSetting({
    key: 'reload-on-rss',
    type: countType,
    default: 0,
    description:
      'Replace a worker whose resident memory passes MB megabytes (its replacement serves first); 0 means never.',
    placeholder: 'MB',
  }),
  'max-worker-lifetime': defineSetting({
    key: 'max-worker-lifetime',
    type: secondsType,
    default: undefined,
    description: 'Replace a worker after it has served for SECONDS (its replacement serves first).',
    placeholder: 'SECONDS',
  }),
  harakiri: defineSetting({
    key: 'harakiri',
    type: secondsType,
    default: undefined,
    description:
      'A request running longer gets 504; a worker whose event loop is blocked longer is killed and replaced.',
    placeholder: 'SECONDS',
  }),
  'touch-reload': defineSetting({
    key: 'touch-reload',
    type: filePathType,
    list: true,
    default: [],
    description:
      'Reload the workers (rolling, as on SIGHUP) when the modification time of FILE changes. Repeat for more.',
    placeholder: 'FILE',
  }),
  watch: defineSetting({
    key: 'watch',
    type: directoryPathType,
    list: true,
    default: [],
    description:
      'Reload the workers (rolling, as on SIGHUP) when a file under DIR changes, for development. Repeat for more.',
    placeholder: 'DIR',
  }),
  stats: defineSetting({
    key: 'stats',
    type: statsAddressType,
    default: undefined,
    description:
      'Serve the dashboard (/) and the stats as JSON (/stats.json) from the master here; a bare port binds 127.0.0.1.',
    placeholder: 'ADDRESS',
  }),
  metrics: defineSetting({
    key: 'metrics',
    type: metricsType,
    default: false,
    description:
      'Prometheus metrics at /metrics: true serves them on the stats address, an ADDRESS on a listener of their own.',
    placeholder: 'BOOL|ADDRESS',
  }),
  'stats-token': defineSetting({
    key: 'stats-token',
    type: statsTokenType,
    default: undefined,
    description:
      'Non-local clients may read stats and metrics with "Authorization: Bearer TOKEN" (else they are refused).',
    placeholder: 'TOKEN',
  }),
  uid: defineSetting({
    key: 'uid',
    type: accountType,
    default: undefined,
    description: 'Run the workers as this user (name or id); the master, started as root, binds the addresses first.',
    placeholder: 'USER',
  }),
  gid: defineSetting({
    key: 'gid',
    type: accountType,
    default: undefined,
    description: "Run the workers with this group (name or id); default: the primary group of uid's user.",
    placeholder: 'GROUP',
  }),
  // HTTPS: TLS listeners, HTTP/2, the redirect from HTTP, and certificates over ACME (src/config/resolve-tls.ts).
  https: defineSetting({
    key: 'https',
    type: httpsListenType,
    list: true,
    envSeparator: ';',
    default: [],
    description:
      'Serve HTTPS on ADDRESS with the CERT and KEY files (re-read on reload), or alone: with the ACME certificate.',
    placeholder: 'ADDRESS[,CERT,KEY]',
  }),
  http2: defineSetting({
    key: 'http2',
    type: booleanType,
    default: true,
    description: 'Offer HTTP/2 on https listeners (clients choose by ALPN; HTTP/1.1 stays available).',
    placeholder: 'BOOL',
  }),
  // HTTP/2 clients that open, cancel or ping too much (src/http/h2-guard.ts, docs/security.md).
  'http2-max-concurrent-streams': defineSetting({
    key: 'http2-max-concurrent-streams',
    type: countType,
    default: 128,
    description: "Streams one HTTP/2 client may have open at once (SETTINGS; nginx's name); 0: Node's (no limit).",
    placeholder: 'N',
  }),
  'http2-max-header-list-size': defineSetting({
    key: 'http2-max-header-list-size',
    type: byteSizeType,
    default: '32K',
    description: "Largest HTTP/2 request header list (HPACK's size), else the stream is reset; 0: Node's (64K).",
    placeholder: 'BYTES',
  }),
  'http2-max-resets': defineSetting({
    key: 'http2-max-resets',
    type: countType,
    default: 100,
    description: 'Streams an HTTP/2 client may cancel beyond those it let finish, else GOAWAY (rapid reset); 0: off.',
    placeholder: 'N',
  }),
  'http2-max-control-frames': defineSetting({
    key: 'http2-max-control-frames',
    type: countType,
    default: 100,
    description:
      'PING and SETTINGS frames an HTTP/2 client may send at once (then N/10 a second), else GOAWAY; 0: off.',
    placeholder: 'N',
  }),
  'http-to-https': defineSetting({
    key: 'http-to-https',
    type: booleanType,
    default: false,
    description:
      'Answer plain-HTTP requests with a redirect to the same host and path on https (301 for GET/HEAD, else 308).',
    placeholder: 'BOOL',
  }),
  'acme-domains': defineSetting({
    key: 'acme-domains',
    type: domainNameType,
    list: true,
    default: [],
    description:
      'Get and renew one certificate for these names over ACME, for https listeners given without files. Repeat for more.',
    placeholder: 'DOMAIN',
  }),
  'acme-email': defineSetting({
    key: 'acme-email',
    type: emailType,
    default: undefined,
    description: 'Contact address of the ACME account (the CA writes there about expiry and policy changes).',
    placeholder: 'EMAIL',
  }),
  'acme-directory': defineSetting({
    key: 'acme-directory',
    type: acmeDirectoryType,
    default: 'letsencrypt',
    description:
      'ACME server: "letsencrypt", "letsencrypt-staging" (for tests: high limits, untrusted) or a directory URL.',
    placeholder: 'NAME|URL',
  }),
  'acme-state-dir': defineSetting({
    key: 'acme-state-dir',
    type: directoryPathType,
    default: 'corral-acme',
    description: 'Directory (created 0700) for the ACME account key, the certificate and its key (0600).',
    placeholder: 'DIR',
  }),
};

/** The table in declaration order. */
export const settingList: readonly Setting[] = Object.values(settings) as readonly Setting[];

/** Finds a setting by its key or one of its aliases. */
export function findSetting(name: string): Setting | undefined {
  return settingList.find((setting) => setting.key === name || setting.aliases.includes(name));
}

// zod/mini is the tree-shakable build of zod (about 25 KB bundled instead of 580 KB: every process that loads the
// config keeps that source). Its messages for the checks of its own (a list that is not an array, an unknown key)
// are only "Invalid input" until a locale is set; English makes them the full zod's.
z.config(en());

function buildObjectSchema(): z.ZodMiniType<SettingValues, Record<string, unknown>> {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const setting of settingList) {
    const value = setting.list ? z.array(setting.type.schema) : setting.type.schema;
    shape[setting.key] = setting.default === undefined ? z.optional(value) : value;
  }
  // The shape is built from the table above, so its output matches SettingValues by construction.
  return z.strictObject(shape) as unknown as z.ZodMiniType<SettingValues, Record<string, unknown>>;
}

/** The strict object schema all merged values are validated with (canonical keys; lists as arrays). */
export const settingsObjectSchema = buildObjectSchema();
