// The resolved config every part of corral receives: validated, paths made absolute, frozen, and plain JSON.
import type { FrameworkName } from '../frameworks/types.ts';
import type { SchedulingPolicy } from './values/scheduling-policy.ts';
/** One `http` listen address. */
export type ListenAddress = (
  | { kind: 'tcp'; host: string | undefined; port: number; text: string }
  | { kind: 'unix'; path: string; text: string }
) & {
  /** Socket activation: serve on this inherited descriptor instead of binding the address (src/master/activated-sockets.ts). */
  fd?: number;
};

/** One `https` listener: its address and absolute CERT and KEY files, or neither for the ACME certificate. */
export interface HttpsListen {
  address: ListenAddress;
  cert?: string;
  key?: string;
}

/** The ACME settings, present when `acme-domains` names at least one domain. */
export interface AcmeConfig {
  domains: string[];
  email?: string;
  /** "letsencrypt", "letsencrypt-staging" or a directory URL. */
  directory: string;
  /** Absolute directory for the account key and the certificate. */
  stateDir: string;
}

/** One `static-map` entry: URL prefix (starts with '/', no trailing '/' unless it is '/') served from an absolute directory. */
export interface StaticMount {
  prefix: string;
  dir: string;
}

/** The `module` setting: an absolute file path and the export to use (undefined = default export or module.exports). */
export interface ModuleRef {
  file: string;
  exportName: string | undefined;
  /** Set when corral's glue for this framework loads the app from `file` (see src/frameworks/glue.ts). */
  glue?: FrameworkName;
}

/** The framework whose build corral recognised in the project directory (the `framework` setting). */
export interface FrameworkConfig {
  name: FrameworkName;
  /** Its own name, for messages ("Next.js"). */
  title: string;
  /** The absolute project directory. */
  dir: string;
  /** The file (relative to dir) that told corral what the directory holds. */
  evidence: string;
  /** True when corral's glue loads the app (the build has no file that is a handler). */
  glue: boolean;
  /** Variables the build reads, set in each worker unless its environment has them already. */
  env: Record<string, string>;
  /** Every request the app sees carries X-Forwarded-Proto (src/frameworks/fit-app.ts). */
  forwardedProto: boolean;
}

/** Timeouts (milliseconds) and limits of HTTP/1.x clients and of connections; a limit of 0 is off. */
export interface ClientLimits {
  /** `client-header-timeout` */
  headerTimeoutMs: number;
  /** `client-body-timeout`: the longest a request body may stall. */
  bodyTimeoutMs: number;
  /** `keepalive-timeout` */
  keepAliveTimeoutMs: number;
  /** `send-timeout`: the longest a client may take no byte of its response. */
  sendTimeoutMs: number;
  /** `limit-request-line`, bytes */
  requestLine: number;
  /** `limit-request-fields` */
  requestFields: number;
  /** `limit-request-field-size`, bytes */
  requestFieldSize: number;
  /** `max-header-size`, bytes: request line and fields together. */
  headerSize: number;
  /** `max-connections`, per worker over all its listeners */
  connections: number;
  /** `max-connections-per-ip`, per worker */
  connectionsPerIp: number;
  /** `abuse-ban`: how long a worker refuses an address it closed a session of for abuse (0: never). */
  abuseBanMs: number;
}

/** What one HTTP/2 client may do (the http2-max-* settings); 0 leaves a limit to Node, or off for corral's own. */
export interface Http2Limits {
  /** SETTINGS_MAX_CONCURRENT_STREAMS sent to clients. */
  maxConcurrentStreams: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE sent to clients, and enforced (bytes, as HPACK counts them). */
  maxHeaderListSize: number;
  /** Streams a client may reset beyond those it let finish before its session is closed (rapid reset). */
  maxResets: number;
  /** PING and SETTINGS frames a client may send in a burst; a tenth of it per second after. */
  maxControlFrames: number;
}

/** The stats server of the master (`stats`, `metrics`, `stats-token`; docs/stats.md). */
export interface StatsConfig {
  /** `stats`: where the dashboard and /stats.json are served; absent when only `metrics` has an address. */
  address?: ListenAddress;
  /** `metrics`: true serves /metrics on the stats address, an address serves it on a listener of its own; absent: off. */
  metrics?: true | ListenAddress;
  /** `stats-token`: lets non-loopback clients in with `Authorization: Bearer TOKEN`; absent: loopback only. */
  token?: string;
}

/** Which requests get an access line, and how it is written; absent: a JSON line for every request (docs/logging.md). */
export interface AccessLogConfig {
  /** `log-format`: corral's JSON line, or the combined log format of nginx and Apache. */
  format: 'json' | 'combined';
  /** `log-slow`: requests that took at least this many ms get a line; absent: no slow filter. */
  slowMs?: number;
  /** `log-4xx`: 4xx responses get a line. */
  log4xx: boolean;
  /** `log-5xx`: 5xx responses get a line. */
  log5xx: boolean;
}

/** The file every process appends its lines to, and its rotation (`logto` and the settings after it; docs/logging.md). */
export interface LogFileConfig {
  /** Absolute path (`logto`). */
  path: string;
  /** Bytes past which the file is rotated (`log-maxsize`); absent: never. */
  maxSize?: number;
  /** Rotated files kept, FILE.1 to FILE.N (`log-backups`); 0: the file is truncated in place. */
  backups: number;
  /** Absolute paths of files whose mtime change reopens the log file (`touch-logreopen`); absent when none. */
  touchReopen?: string[];
}

export interface Config {
  /** The config file it came from (absolute), if any. */
  source: string | undefined;
  http: ListenAddress[];
  /** Peers whose X-Forwarded-For/-Proto/-Host are believed: addresses and CIDR ranges, or `*` for any (`forwarded-allow-ips`). */
  forwardedAllowIps: string[];
  /** Every http and https listener reads a PROXY protocol header before anything else (`proxy-protocol`). */
  proxyProtocol: boolean;
  /** Largest request body in bytes; 0 = no limit (`limit-post`). */
  limitPost: number;
  /** Timeouts and limits of HTTP/1.x clients and of connections (docs/security.md). */
  clientLimits: ClientLimits;
  /** The master hands out connections by client address instead of sharing the listening sockets (`sticky-sessions`). */
  stickySessions: boolean;
  /** Who accepts the connections of a shared listener: the workers (shared) or the master in turn (round-robin) (`scheduling-policy`). */
  schedulingPolicy: SchedulingPolicy;
  /** No access-log line per request (`disable-logging`). */
  disableLogging: boolean;
  /** The access line's format and filters; absent when all are at their defaults (`log-format`, `log-slow`, `log-4xx`, `log-5xx`). */
  accessLog?: AccessLogConfig;
  /** Where the lines of every process go; absent: standard output (`logto`). */
  logFile?: LogFileConfig;
  staticMap: StaticMount[];
  /** Names tried, in order, for a URL that names a directory (`static-index`). */
  staticIndex: string[];
  /** `static-expires` rules: a regular expression (source text) tested against a file's absolute path, and its max-age. */
  staticExpires: { pattern: string; seconds: number }[];
  /** Absolute directories every request path is looked up under after static-map (`check-static`). */
  checkStatic: string[];
  /** Absolute directories that symlinks from static directories may lead into (`static-safe`). */
  staticSafe: string[];
  /** Serve FILE.br / FILE.zst / FILE.gz siblings to clients that accept them (`static-gzip-all`). */
  staticGzipAll: boolean;
  /** Compress text-like files on the fly, once per version (`static-compress`). */
  staticCompress: boolean;
  /** Bytes of memory per worker for hot files and compressed copies (`static-cache-size`). */
  staticCacheSize: number;
  /** Single-page-app fallbacks: URL prefix and the absolute file served for unmatched HTML requests under it. */
  staticFallback: { prefix: string; file: string }[];
  module: ModuleRef | undefined;
  /** The recognised framework, if any (`framework`). */
  framework: FrameworkConfig | undefined;
  /** Number of workers (resolved from `auto`). */
  processes: number;
  master: boolean;
  /** Absolute directory corral changes into before loading the app, if set. */
  chdir: string | undefined;
  /** Environment variables set before the app loads. */
  env: Record<string, string>;
  /** Seconds to let in-flight requests finish on stop. */
  gracefulTimeout: number;
  /** Seconds between a stop signal and the graceful stop, health-path failing meanwhile; 0: none (`shutdown-delay`). */
  shutdownDelay: number;
  /** The URL path corral answers itself with the worker's health; absent: none (`health-path`). */
  healthPath?: string;
  vacuum: boolean;
  /** Absolute path of the master's pid file, if set. */
  pidfile?: string;
  /** Requests after which a worker is replaced; absent = never. */
  maxRequests?: number;
  /** Upper bound of the random number added to each worker's maxRequests (present with maxRequests). */
  maxRequestsDelta?: number;
  /** Resident memory, in MB, past which a worker is replaced; absent = never. */
  reloadOnRss?: number;
  /** Seconds after which a serving worker is replaced; absent = never. */
  maxWorkerLifetime?: number;
  /** Seconds a request may run (then 504) and a worker's event loop may stay blocked (then killed); absent = no limit. */
  harakiri?: number;
  /** Absolute paths of files whose mtime change triggers a rolling reload; absent when none. */
  touchReload?: string[];
  /** Absolute directories under which a file change triggers a rolling reload; absent when none. */
  watch?: string[];
  /** The user id workers run as; absent = the master's. */
  uid?: number;
  /** The group id workers run as; absent = the master's. */
  gid?: number;
  /** TLS listeners; absent when none. */
  https?: HttpsListen[];
  /** Offer HTTP/2 by ALPN on the TLS listeners (present with https). */
  http2?: boolean;
  /** Limits of HTTP/2 clients (present with https and http2). */
  http2Limits?: Http2Limits;
  /** Redirect plain-HTTP requests to https (present only when on). */
  httpToHttps?: true;
  /** Automatic certificates; absent without acme-domains. */
  acme?: AcmeConfig;
  /** The stats server and the workers' counting; absent without `stats` and `metrics`. */
  stats?: StatsConfig;
}
