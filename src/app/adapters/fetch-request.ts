// What a fetch app's Request is made of, read off Node's IncomingMessage: its URL, its headers and its body as a stream.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Methods a WHATWG Request refuses to carry (undici throws "'TRACE' HTTP method is unsupported"). */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** 501 for a method no Request may carry, else undefined. */
export function refusedRequestStatus(req: IncomingMessage): 501 | undefined {
  const method = req.method ?? '';
  if (method === 'GET' || method === 'POST') return undefined;
  return FORBIDDEN_METHODS.has(method.toUpperCase()) ? 501 : undefined;
}

/**
 * The Request's URL for `req`: absolute, parsed and normalised as undici's Request would (dot segments,
 * percent-encoding); undefined when the target is no URL (the client's fault: a 400). A Host header that is
 * no valid authority is replaced by the address the request came in on.
 */
export function requestUrl(req: IncomingMessage): string | undefined {
  const authority = hostOf(req);
  const target = req.url ?? '/';
  if (PLAIN_TARGET.test(target) && !NEEDS_PARSING.test(target)) {
    const origin = originOf(scheme(req), authority);
    if (origin !== undefined) return origin + target;
  }
  const url = parsedHref(targetUrl(req, authority));
  if (url !== undefined) return url;
  return parsedHref(targetUrl(req, localAuthority(req)));
}

/**
 * An origin-form target the URL parser leaves as it is: only characters it never percent-encodes in a path or a
 * query (no quote, space, brackets, backslash or '#'). Dot segments, written plainly or as %2e, are removed by the
 * parser: such a target takes the parser's way (NEEDS_PARSING).
 */
const PLAIN_TARGET = /^\/[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*$/;
const NEEDS_PARSING = /\/\.|%2e/i;
/** An authority that can be parsed on its own: no userinfo, path, query, fragment, escape or space in it. */
const PLAIN_AUTHORITY = /^[^/?#@\\%\s]+$/;
/** `scheme://authority` as the URL parser writes it (host lower-cased, default port dropped); null: no valid URL. */
const origins = new Map<string, string | null>();
/** Hosts come from clients: the map is emptied rather than let grow past this. */
const MAX_ORIGINS = 256;

/**
 * The parsed origin for a Host header, from the map after the first time: the URL parser runs once per authority
 * instead of once per request (it was the largest single cost of a fetch app's request after the socket write).
 */
function originOf(scheme: string, authority: string): string | undefined {
  // Most requests name the host the one before named: two string comparisons, where the map's key is a new string
  // to hash for every request (a third of a Hono hello's own time in corral's adapter, profiled).
  if (authority === last.authority && scheme === last.scheme) return last.origin;
  const key = `${scheme}://${authority}`;
  let origin = origins.get(key);
  if (origin === undefined) {
    if (!PLAIN_AUTHORITY.test(authority)) return undefined;
    const href = parsedHref(`${key}/`);
    origin = href === undefined ? null : href.slice(0, -1);
    if (origins.size >= MAX_ORIGINS) origins.clear();
    origins.set(key, origin);
  }
  last = { scheme, authority, origin: origin ?? undefined };
  return origin ?? undefined;
}

/** The authority and scheme originOf was last asked about, and its answer. */
let last: { scheme: string; authority: string; origin: string | undefined } = {
  scheme: '',
  authority: '',
  origin: undefined,
};

function parsedHref(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

/** rawHeaders keeps repeated headers apart; HTTP/2 pseudo-headers (`:path`...) are not headers to a fetch app. */
export function headerPairs(raw: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.charCodeAt(0) !== 58 /* ':' */) pairs.push([name, raw[i + 1]!]);
  }
  return pairs;
}

/** Where a request read by the fast path (fetch-fast.ts) keeps its body, which came whole with its head. */
export const WHOLE_BODY = Symbol('corral.wholeBody');

/** The body of a request read by the fast path, already all there; undefined for node:http's requests. */
export function wholeBodyOf(req: IncomingMessage): Buffer | undefined {
  return (req as IncomingMessage & { [WHOLE_BODY]?: Buffer })[WHOLE_BODY];
}

/** HTTP/1 announces a body with Transfer-Encoding or a non-zero Content-Length; HTTP/2 may send one without either. */
export function hasBody(req: IncomingMessage, method: string): boolean {
  if (method === 'GET' || method === 'HEAD') return false;
  if (req.httpVersionMajor >= 2) return true;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function targetUrl(req: IncomingMessage, authority: string): string {
  const target = req.url ?? '/';
  if (target.charCodeAt(0) !== 47 /* '/' */) {
    // Absolute-form (a proxy-style request line) is already a URL; asterisk-form (OPTIONS *) becomes '/'.
    return /^https?:\/\//i.test(target) ? target : `${scheme(req)}://${authority}/`;
  }
  return `${scheme(req)}://${authority}${target}`;
}

/**
 * X-Forwarded-Proto and -Host are believed as they stand: the pipeline removes them from requests that did not come
 * through a trusted proxy (forwarded-allow-ips). A proxy chain may list several values: the first is the client's.
 */
function scheme(req: IncomingMessage): string {
  const forwarded = firstValue(req.headers['x-forwarded-proto'])?.toLowerCase();
  if (forwarded === 'https' || forwarded === 'http') return forwarded;
  return (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
}

function hostOf(req: IncomingMessage): string {
  const host = firstValue(req.headers['x-forwarded-host']) ?? req.headers.host ?? req.headers[':authority'];
  return typeof host === 'string' && host !== '' ? host : localAuthority(req);
}

function firstValue(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0]! : header).split(',')[0]!.trim();
  return value === '' ? undefined : value;
}

function localAuthority(req: IncomingMessage): string {
  const { localAddress, localPort } = req.socket;
  if (localAddress === undefined) return 'localhost';
  const host = localAddress.includes(':') ? `[${localAddress}]` : localAddress;
  return localPort === undefined ? host : `${host}:${localPort}`;
}

/**
 * A byte stream that pulls from `req` only when the app reads (high-water mark 0): nothing is read for an
 * app that ignores the body, and a slow reader pauses the socket. When the app cancels the body, the rest
 * is drained and dropped so the response can still be sent on the same connection.
 */
export function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let started = false;
  let settled = false;
  let onData: ((chunk: Buffer) => void) | undefined;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (started) {
          req.resume();
          return;
        }
        started = true;
        onData = (chunk: Buffer) => {
          if (settled) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        };
        req.on('data', onData);
        req.once('end', () => {
          if (!settled) controller.close();
          settled = true;
        });
        req.once('error', (error) => {
          if (!settled) controller.error(error);
          settled = true;
        });
        req.once('close', () => {
          if (!settled) controller.error(new Error('the client closed the connection before the request body ended'));
          settled = true;
        });
      },
      cancel() {
        settled = true;
        if (onData !== undefined) req.removeListener('data', onData);
        req.resume();
      },
    },
    { highWaterMark: 0 },
  );
}
