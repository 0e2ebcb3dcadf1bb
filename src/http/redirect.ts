// Plain-HTTP requests that corral answers itself, before the pipeline: ACME HTTP-01 tokens, and the redirect to https (`http-to-https`).
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Where HTTP-01 tokens are asked for (RFC 8555, section 8.3). */
const ACME_CHALLENGE_PATH = '/.well-known/acme-challenge/';

/** The host of a Host header, without its port: `example.com`, `[::1]`. Undefined when it is missing or malformed. */
export function hostOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d+)?$/.exec(header.trim());
  return match?.[1];
}

/** The https URL for a request: the same host and path, with the https port unless it is 443. */
export function httpsLocation(host: string, httpsPort: number | undefined, url: string): string {
  const port = httpsPort === undefined || httpsPort === 443 ? '' : `:${httpsPort}`;
  return `https://${host}${port}${url.startsWith('/') ? url : `/${url}`}`;
}

function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export interface PlainHttpRules {
  /** The key authorization of an HTTP-01 token, when ACME is configured. */
  http01?: (token: string) => string | undefined;
  /** With http-to-https: the port of the https listener to send clients to. */
  redirectPort?: number | undefined;
  redirect: boolean;
}

/**
 * Answers `req` when a rule applies and returns true; false lets the request go on to the pipeline. GET and HEAD get
 * a 301; other methods a 308, which keeps the method and body.
 */
export function answerPlainHttp(rules: PlainHttpRules, req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? '/';
  // Challenge paths are never redirected: a token corral does not hold goes on to the pipeline, for an ACME client
  // of the user's own (a static-map or check-static directory, or the app) to answer.
  if (url.startsWith(ACME_CHALLENGE_PATH)) {
    const keyAuthorization = rules.http01?.(url.slice(ACME_CHALLENGE_PATH.length));
    if (keyAuthorization === undefined) return false;
    answer(res, 200, keyAuthorization);
    return true;
  }
  if (!rules.redirect) return false;
  const host = hostOf(req.headers.host);
  if (host === undefined) {
    answer(res, 400, 'Bad Request: a Host header is needed to redirect to https\n');
    return true;
  }
  const status = req.method === 'GET' || req.method === 'HEAD' ? 301 : 308;
  const location = httpsLocation(host, rules.redirectPort, url);
  answer(res, status, `Moved to ${location}\n`, { location });
  return true;
}
