// The strict reader of the fast path: takes a request head of the plainest HTTP/1.1 shape (and a small body that came with it) from a connection's bytes, and leaves anything else to node:http.

/** The methods the fast path reads: a GET or HEAD for a file or an app, the others (with a body) for a fetch app. */
export type FastMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A request head the fast path may answer: HTTP/1.1 without upgrade, range or proxy fields; a GET or HEAD without a
 * body, or a POST, PUT, PATCH or DELETE whose body (by Content-Length) came whole with it.
 */
export interface RequestHead {
  readonly method: FastMethod;
  /** The request target as sent (origin form: starts with `/`). */
  readonly target: string;
  /** Every field, its name in lower case, as node:http's `req.headers` would hold it (no name appears twice, none is a name of Object.prototype). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body's bytes as latin1 ('' for none). */
  readonly body: string;
  /** Where the next request starts in the text the head was read from (after the body). */
  readonly end: number;
}

/** The head limits of the client shield (0: off); a head over one is left to node:http, which refuses it. */
export interface HeadLimits {
  /** limit-request-line: method, target and version with their spaces. */
  readonly requestLine: number;
  /** limit-request-fields. */
  readonly requestFields: number;
  /** limit-request-field-size: a field's name and value. */
  readonly requestFieldSize: number;
  /** max-header-size: the whole head (node:http's maxHeaderSize, 16 KiB when unset). */
  readonly headerSize: number;
}

/** node:http's maxHeaderSize when none is set. */
const NODE_HEADER_SIZE = 16 * 1024;

/** What the request line adds to the method and the target: a space, ` HTTP/1.1` (as request-limits.ts counts it). */
export const LINE_EXTRA = 10;

/** A FastMethod, a target of visible ASCII (no `#`) in origin form, HTTP/1.1: nothing node:http could read otherwise. */
const REQUEST_LINE = /(GET|HEAD|POST|PUT|PATCH|DELETE) (\/[\x21\x22\x24-\x7e]*) HTTP\/1\.1\r\n/y;

/**
 * A Content-Length field the fast path reads, as a whole line: one space at most before the digits, none after, under
 * a billion. llhttp (strict) refuses some whitespace around the value that other fields may have (a tab after it,
 * found by the fuzz test): any other shape is node:http's to read.
 */
const LENGTH_FIELD = /^content-length: ?\d{1,9}\r\n$/i;

/** A field: a token, a colon, a value of visible ASCII with inner spaces or tabs; whitespace around the value is dropped, as node:http does. */
const FIELD = /([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*((?:[\x21-\x7e](?:[ \t\x21-\x7e]*[\x21-\x7e])?)?)[ \t]*\r\n/y;

/**
 * Fields that change how node:http reads or answers a request (framing, connection, upgrade, ranges, the proxy's
 * view of the client): a request with one is node:http's to read. `connection: keep-alive` alone is let through.
 */
export const LEFT_TO_NODE: ReadonlySet<string> = new Set([
  'transfer-encoding',
  'upgrade',
  'http2-settings',
  'expect',
  'range',
  'if-range',
  'proxy-connection',
  'te',
  'trailer',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
]);

/**
 * The lower-case names of the fields clients send most, by the name as sent (lower case, or each word capitalised as
 * browsers and curl write them). A name found here is a string V8 already holds internalized: a field added under it
 * takes a cached hidden-class transition, where a name made for the request is hashed and looked up in V8's string
 * table first (about 70 ns a field; a browser's head of 6 fields read in 890 ns instead of 1300, measured).
 */
const KNOWN_NAMES = new Map<string, string>();
for (const name of [
  'host',
  'user-agent',
  'accept',
  'accept-encoding',
  'accept-language',
  'if-none-match',
  'if-modified-since',
  'connection',
  'cookie',
  'referer',
  'cache-control',
  'pragma',
  'origin',
  'authorization',
  'content-type',
  'content-length',
  'sec-fetch-site',
  'sec-fetch-mode',
  'sec-fetch-dest',
  'upgrade-insecure-requests',
  'priority',
]) {
  KNOWN_NAMES.set(name, name);
  KNOWN_NAMES.set(
    name.replace(/(?:^|-)[a-z]/g, (start) => start.toUpperCase()),
    name,
  );
}

/** The field name `raw` in lower case (for a known name, the one string kept for it). */
function lowerName(raw: string): string {
  const known = KNOWN_NAMES.get(raw);
  if (known !== undefined) return known;
  const lower = raw.toLowerCase();
  return KNOWN_NAMES.get(lower) ?? lower;
}

/**
 * Reads the head that starts at `start` in `text` (a connection's bytes as latin1), or returns undefined when node:http
 * must: the head (or the body its Content-Length announces) is not all there, is of another shape than REQUEST_LINE and FIELD, has a field twice (or one named as
 * a member of every object), a field of LEFT_TO_NODE, no Host, or is over a limit. What it reads, llhttp (strict) reads alike; what it leaves costs nothing
 * but the look, since node:http then reads the same bytes from the start of the head.
 */
export function readRequestHead(text: string, start: number, limits: HeadLimits): RequestHead | undefined {
  const blank = text.indexOf('\r\n\r\n', start);
  if (blank === -1) return undefined;
  const end = blank + 4;
  if (end - start > (limits.headerSize > 0 ? limits.headerSize : NODE_HEADER_SIZE)) return undefined;
  REQUEST_LINE.lastIndex = start;
  const line = REQUEST_LINE.exec(text);
  if (line === null) return undefined;
  const method = line[1] as FastMethod;
  const target = line[2] as string;
  if (limits.requestLine > 0 && method.length + target.length + LINE_EXTRA > limits.requestLine) return undefined;
  // An ordinary object: `in` on a null-prototype one (a dictionary) cost 380 ns of a 560 ns head, measured. A name an
  // ordinary object already has (`constructor`, `__proto__`) is then taken for a repeated field: node:http reads it.
  const headers = {} as Record<string, string>;
  let fields = 0;
  let at = REQUEST_LINE.lastIndex;
  while (at < blank + 2) {
    FIELD.lastIndex = at;
    const field = FIELD.exec(text);
    if (field === null) return undefined;
    const name = lowerName(field[1] as string);
    const value = field[2] as string;
    if (name in headers || LEFT_TO_NODE.has(name)) return undefined;
    if (name === 'connection' && value.toLowerCase() !== 'keep-alive') return undefined;
    // A GET or HEAD with a body is node:http's; a body's length is read as llhttp would read it, or not at all.
    if (
      name === 'content-length' &&
      (method === 'GET' || method === 'HEAD' || !LENGTH_FIELD.test(text.slice(at, FIELD.lastIndex)))
    )
      return undefined;
    if (limits.requestFieldSize > 0 && name.length + value.length > limits.requestFieldSize) return undefined;
    headers[name] = value;
    fields++;
    at = FIELD.lastIndex;
  }
  if (at !== blank + 2 || headers.host === undefined) return undefined;
  if (limits.requestFields > 0 && fields > limits.requestFields) return undefined;
  const length = headers['content-length'] === undefined ? 0 : Number(headers['content-length']);
  // A body still on its way is node:http's to wait for (with client-body-timeout).
  if (end + length > text.length) return undefined;
  return { method, target, headers, body: length === 0 ? '' : text.slice(end, end + length), end: end + length };
}
