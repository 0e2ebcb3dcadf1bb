// Writes a WHATWG Response to Node's ServerResponse: status, headers (every Set-Cookie kept), body streamed with backpressure.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { HeaderFields } from './header-fields.ts';
import { TEXT_TYPE, type WholeResponse } from './light-response.ts';

const NOT_YET = Symbol('not yet');

/**
 * No body for HEAD, 204, 304 or a null body (an unread body is cancelled so its source can stop). A 204
 * carries no Content-Length at all (HTTP forbids it), a 304 none of corral's making (only the app may state
 * the length a 200 would have had); a null body otherwise gets `Content-Length: 0`. A body
 * whose whole content is there at once (`new Response("text")`) goes out with a Content-Length in one
 * write; anything else is written chunk by chunk as it comes (chunked), waiting for 'drain' when the
 * socket is full. Headers are merged with any the caller set before. When the client goes away before
 * the end, the body reader is cancelled. A body that errors rejects the returned promise. Framing and the
 * connection are corral's (Node's) to decide, as on other fetch runtimes: see CONNECTION_HEADERS.
 */
export async function writeResponse(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = response.body;
  if (res.destroyed) {
    body?.cancel().catch(ignore);
    return;
  }
  const head = new Head(response.status, response.statusText, response.headers, false);
  const bodiless = response.status === 204 || response.status === 304;
  if (body === null || req.method === 'HEAD' || bodiless) {
    head.send(res, body === null && req.method !== 'HEAD' && !bodiless ? 0 : undefined);
    res.end();
    body?.cancel().catch(ignore);
    return;
  }
  await writeBody(body.getReader(), head, res);
}

/**
 * Headers about this connection rather than the response, which a Response does not get to set: Node frames the
 * body itself (chunked for HTTP/1.1, up to the close for an HTTP/1.0 client, which must never get chunked) and
 * decides keep-alive (a drain's `Connection: close` included). Hono's streaming helpers set `Transfer-Encoding:
 * chunked` and `Connection: keep-alive`; passed on, Node sent chunks to HTTP/1.0 clients and let the app's
 * keep-alive override corral's close. An app's `Connection: close` is still honoured.
 */
const CONNECTION_HEADERS = new Set(['transfer-encoding', 'connection', 'keep-alive']);

/**
 * A light Response whose body is whole (see light-response.ts), in one `writeHead` and one `end`: its Content-Length
 * is known (also for HEAD, whose body Node leaves out), none is added to a 204 or a 304. Nothing is allocated for
 * headers the app never gave.
 */
export function writeWhole(whole: WholeResponse, req: IncomingMessage, res: ServerResponse): void {
  if (res.destroyed) return;
  const { status, body } = whole;
  const head = new Head(status, whole.statusText, whole.headers ?? whole.fields, typeof body === 'string');
  if (status === 204 || status === 304) {
    head.send(res);
    res.end();
    return;
  }
  const length = body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  head.send(res, length);
  if (length === 0 || req.method === 'HEAD') res.end();
  else res.end(body);
}

/** Status line and headers, sent once the body's length is known or known to be open-ended. */
class Head {
  private readonly headers: OutgoingHttpHeaders;
  private readonly close: boolean;
  /** `text`: the body is a string and the app gave no headers, so it is `text/plain;charset=UTF-8`. */
  constructor(
    private readonly status: number,
    private readonly statusText: string,
    headers: Headers | HeaderFields | undefined,
    text: boolean,
  ) {
    if (headers === undefined) {
      this.headers = {};
      if (text) this.headers['content-type'] = TEXT_TYPE;
      this.close = false;
    } else if (headers instanceof Headers) {
      this.headers = nodeHeaders(headers);
      this.close = CLOSE.test(headers.get('connection') ?? '');
    } else {
      this.headers = fieldsHeaders(headers);
      const connection = headers.connection;
      this.close = typeof connection === 'string' && CLOSE.test(connection);
    }
    if (status === 204) delete this.headers['content-length'];
  }

  /** `length`: a Content-Length to add when the app gave none. */
  send(res: ServerResponse, length?: number): void {
    const { headers, status, statusText } = this;
    if (length !== undefined && headers['content-length'] === undefined) headers['content-length'] = length;
    if (this.close) res.shouldKeepAlive = false;
    if (statusText === '') res.writeHead(status, headers);
    else res.writeHead(status, statusText, headers);
  }
}

const CLOSE = /(?:^|,)\s*close\s*(?:,|$)/i;

/**
 * A copy of the fields without the connection's headers (the same fields may be written again). Ordinary objects,
 * not null-prototype ones (dictionaries from the start, and slow to make): the fields never hold a name an ordinary
 * object has already (header-fields.ts), and a Headers' names are defined as own properties.
 */
function fieldsHeaders(fields: HeaderFields): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name of Object.keys(fields)) if (!CONNECTION_HEADERS.has(name)) out[name] = fields[name];
  return out;
}

function nodeHeaders(headers: Headers): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of headers) {
    if (name === 'set-cookie' || CONNECTION_HEADERS.has(name)) continue;
    if (name in out) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    else out[name] = value;
  }
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  return out;
}

async function writeBody(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  head: Head,
  res: ServerResponse,
): Promise<void> {
  const cancel = (): void => {
    if (!res.writableFinished) reader.cancel(new Error('the client disconnected')).catch(ignore);
  };
  res.once('close', cancel);
  try {
    await pump(reader, head, res);
  } finally {
    res.removeListener('close', cancel);
  }
}

async function pump(reader: ReadableStreamDefaultReader<Uint8Array>, head: Head, res: ServerResponse): Promise<void> {
  const first = await reader.read();
  if (first.done) return finish(res, head, 0);
  let pending = reader.read();
  const early = await readyThisTurn(pending);
  if (early !== NOT_YET && early.done) return finish(res, head, first.value.byteLength, first.value);
  if (res.destroyed) return;
  head.send(res);
  let chunk: Uint8Array = first.value;
  for (;;) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await drained(res);
    const next = await pending;
    if (next.done) break;
    chunk = next.value;
    pending = reader.read();
  }
  if (!res.destroyed) res.end();
}

function finish(res: ServerResponse, head: Head, length: number, data?: Uint8Array): void {
  if (res.destroyed) return;
  head.send(res, length);
  res.end(data);
}

/**
 * The read's result if the stream has it within a few microtasks, else NOT_YET (it is streaming). A body made from
 * a string or bytes (`new Response("text")`, Hono's c.text/c.json) is closed after its one chunk, so its second read
 * is settled at once: no turn of the event loop is spent waiting for it.
 */
function readyThisTurn<T>(read: Promise<T>): Promise<T | typeof NOT_YET> {
  const later: Promise<typeof NOT_YET> = Promise.resolve(NOT_YET)
    .then(() => NOT_YET)
    .then(() => NOT_YET);
  return Promise.race([read, later]);
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.removeListener('drain', done);
      res.removeListener('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function ignore(): void {
  // The body's source may reject a cancel; nobody is left to tell.
}
