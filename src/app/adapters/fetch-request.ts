// What a fetch app's Request is made of, read off Node's IncomingMessage: its URL, its headers and its body as a stream.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Methods a WHATWG Request refuses to carry (undici throws "'TRACE' HTTP method is unsupported"). */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** 501 for a method no Request may carry, else undefined. */
export function refusedRequestStatus(req: IncomingMessage): 501 | undefined {
  return FORBIDDEN_METHODS.has((req.method ?? '').toUpperCase()) ? 501 : undefined;
}

/**
 * The Request's URL for `req`: absolute, parsed and normalised as undici's Request would (dot segments,
 * percent-encoding); undefined when the target is no URL (the client's fault: a 400). A Host header that is
 * no valid authority is replaced by the address the request came in on.
 */
export function requestUrl(req: IncomingMessage): string | undefined {
  const url = parsedHref(targetUrl(req, hostOf(req)));
  if (url !== undefined) return url;
  return parsedHref(targetUrl(req, localAuthority(req)));
}

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
