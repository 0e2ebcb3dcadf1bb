// Says why an order failed when acme-client's own error does not: after its network retries it throws a TypeError that has lost the cause, so corral asks the directory itself.
import { get } from 'node:https';

const PROBE_TIMEOUT_MS = 5000;

/** Undefined when the directory answers; else what went wrong reaching it (`ECONNREFUSED`, `timed out`, `HTTP 503`). */
function probeDirectory(url: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = get(url, { timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? undefined : `HTTP ${res.statusCode ?? '?'}`);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/** The reason to log for a failed order: the ACME server's own words when there are some, else whether it can be reached at all. */
export async function failureReason(err: unknown, directoryUrl: string): Promise<string> {
  const message = err instanceof Error ? err.message : String(err);
  const fromServer =
    err instanceof Error && !(err instanceof TypeError) && (err as { code?: unknown }).code === undefined;
  if (fromServer) return message;
  const unreachable = await probeDirectory(directoryUrl);
  return unreachable === undefined ? message : `cannot reach the ACME server at ${directoryUrl}: ${unreachable}`;
}
