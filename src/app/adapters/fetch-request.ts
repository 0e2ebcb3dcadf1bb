// Builds the WHATWG Request a fetch app sees from Node's IncomingMessage, streaming the body rather than buffering it.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { incomingRequestClass, type IncomingRequest } from './incoming-request.ts';

/** Methods a WHATWG Request refuses to carry (undici throws "'TRACE' HTTP method is unsupported"). */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** The status for a request toRequest() refused: 501 for a forbidden method, else 400 (a target that is no URL). */
export function refusedRequestStatus(req: IncomingMessage): 400 | 501 {
  return FORBIDDEN_METHODS.has((req.method ?? '').toUpperCase()) ? 501 : 400;
}

/** A Request for `req`: absolute URL, method, every header as sent, and the body as a stream; throws a TypeError when none can be built. */
export function toRequest(req: IncomingMessage): IncomingRequest {
  const method = req.method ?? 'GET';
  // `duplex` is in undici's RequestInit, not yet in the DOM lib's.
  const init: RequestInit & { duplex?: 'half' } = { method, headers: headerPairs(req.rawHeaders) };
  if (hasBody(req, method)) {
    init.body = bodyStream(req);
    init.duplex = 'half';
  }
  const IncomingRequest = incomingRequestClass();
  try {
    return new IncomingRequest(requestUrl(req, hostOf(req)), init);
  } catch (error) {
    // A Host header that is no valid authority: describe the request by the address it came in on.
    const fallback = requestUrl(req, localAuthority(req));
    if (fallback === requestUrl(req, hostOf(req))) throw error;
    return new IncomingRequest(fallback, init);
  }
}

/** rawHeaders keeps repeated headers apart; HTTP/2 pseudo-headers (`:path`...) are not headers to a fetch app. */
function headerPairs(raw: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.charCodeAt(0) !== 58 /* ':' */) pairs.push([name, raw[i + 1]!]);
  }
  return pairs;
}

/** HTTP/1 announces a body with Transfer-Encoding or a non-zero Content-Length; HTTP/2 may send one without either. */
function hasBody(req: IncomingMessage, method: string): boolean {
  if (method === 'GET' || method === 'HEAD') return false;
  if (req.httpVersionMajor >= 2) return true;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function requestUrl(req: IncomingMessage, authority: string): string {
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
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
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
