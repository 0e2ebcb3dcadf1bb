// Which requests get an access line (log-slow, log-4xx, log-5xx, disable-logging), decided once when a worker starts.
import type { AccessLogConfig } from '../config/types.ts';

/** True when the request of `status`, which took `ms`, gets an access line. */
type AccessFilter = (status: number, ms: number) => boolean;

/**
 * What the access log writes: `all` (the default: no filter to run), `none` (disable-logging alone), or the requests
 * `filter` keeps. log-4xx, log-5xx and log-slow each name requests that get a line, and a request that any of them
 * names gets one; when one is set, the requests none of them names get no line. disable-logging turns the line off
 * for every request except those (uWSGI's reading: its log-4xx/5xx/slow are the exceptions to disable-logging).
 */
export type AccessChoice = { kind: 'all' } | { kind: 'none' } | { kind: 'some'; filter: AccessFilter };

export function chooseAccessLines(disableLogging: boolean, options: AccessLogConfig | undefined): AccessChoice {
  const slowMs = options?.slowMs;
  const log4xx = options?.log4xx === true;
  const log5xx = options?.log5xx === true;
  if (slowMs === undefined && !log4xx && !log5xx) return { kind: disableLogging ? 'none' : 'all' };
  // One function per combination, so the check per request is a comparison or two, nothing looked up.
  const classes: AccessFilter | undefined =
    log4xx && log5xx
      ? (status) => status >= 400 && status < 600
      : log4xx
        ? (status) => status >= 400 && status < 500
        : log5xx
          ? (status) => status >= 500 && status < 600
          : undefined;
  if (slowMs === undefined) return { kind: 'some', filter: classes! };
  if (classes === undefined) return { kind: 'some', filter: (_status, ms) => ms >= slowMs };
  return { kind: 'some', filter: (status, ms) => ms >= slowMs || classes(status, ms) };
}
