// A fetch app on the fast path: a plain request read from the connection's bytes (a body, if any, came with it) reaches the app without node:http, and a whole answer goes back as wire text; anything else becomes node:http's request there and then.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestHead } from '../../http/request-head.ts';
import { WHOLE_BODY } from './fetch-request.ts';
import type { HeaderFields } from './header-fields.ts';
import { TEXT_TYPE, type WholeResponse } from './light-response.ts';

/** An answer for the fast path's writer: the status line and fields (ASCII), and the body, none for HEAD. */
export interface WireMade {
  readonly status: number;
  readonly head: string;
  readonly body: string | Uint8Array | undefined;
}

/**
 * The app's side of the fast path (fast-path.ts): false when node:http must read the request (the app was not
 * called), true when the request was handed to node:http with the app's outcome (see Replay), else the answer; a
 * promise of the answer or true when the app's own promise settles before the event loop moves on (see atTurnEnd).
 */
export type AppWire = (
  socket: Socket,
  head: RequestHead,
  handOver: () => void,
) => WireMade | boolean | Promise<WireMade | true>;

/** What runs at the end of this turn of the event loop, after every promise settled by then. */
let turnEnd: (() => void)[] | undefined;

/**
 * Runs `task` once the event loop has run every callback and promise of this turn (one setImmediate for all the
 * tasks of a turn). An app whose promise settles without waiting for I/O (async middleware, a render) is answered
 * by then; one that waits for I/O is handed to node:http then, where the drain, harakiri and the timeouts see it.
 */
export function atTurnEnd(task: () => void): void {
  if (turnEnd === undefined) {
    turnEnd = [];
    setImmediate(runTurnEnd);
  }
  turnEnd.push(task);
}

function runTurnEnd(): void {
  const tasks = turnEnd ?? [];
  turnEnd = undefined;
  for (const task of tasks) task();
}

/**
 * A request of the fast path that becomes node:http's: the connection is handed over with this request's bytes, which
 * node:http reads at once (synchronously: its parser runs in the 'data' event the hand-over emits), and the adapter's
 * node:http side finds it here as the first request of that socket (`attach`) and writes the app's outcome to that
 * request's response, without calling the app again. This is how an answer the fast path does not write (a stream, a
 * promise, an error, a Connection header) and `env.incoming` / `env.outgoing` (real node:http objects) stay what they
 * are on the ordinary path.
 */
export class Replay {
  req: IncomingMessage | undefined;
  res: ServerResponse | undefined;
  /** What fetch() gave (a Response, a promise of one, or a rejection), once it gave it. */
  readonly outcome: Promise<unknown>;
  settle!: (outcome: unknown) => void;
  fail!: (error: unknown) => void;

  constructor(readonly socket: Socket) {
    this.outcome = new Promise((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
    });
  }
}

/** The replay under way: set only while node:http reads the handed-over bytes (see handOverWith). */
let replaying: Replay | undefined;

/** The replay whose request node:http just read on `req`'s socket, taken once; undefined for any other request. */
export function takeReplay(req: IncomingMessage): Replay | undefined {
  const replay = replaying;
  if (replay === undefined || replay.req !== undefined || replay.socket !== req.socket) return undefined;
  return replay;
}

/** Hands the connection over with `replay` waiting for node:http's request; true when the adapter took it. */
function handOverWith(replay: Replay, handOver: () => void): boolean {
  replaying = replay;
  try {
    handOver();
  } finally {
    replaying = undefined;
  }
  return replay.req !== undefined;
}

/**
 * What node:http's IncomingMessage gives the adapter and the light Request, read from the head: the same values
 * (`headers` by lower-case name, `rawHeaders` in pairs), the socket, and the body, which came whole with the head.
 */
export class HeadRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly httpVersion = '1.1';
  readonly httpVersionMajor = 1;
  readonly httpVersionMinor = 1;

  /** The body, which came whole with the head (light-request.ts reads it from here). */
  readonly [WHOLE_BODY]: Buffer | undefined;

  constructor(
    readonly socket: Socket,
    head: RequestHead,
  ) {
    this.method = head.method;
    this.url = head.target;
    this.headers = head.headers;
    this[WHOLE_BODY] = head.body === '' ? undefined : Buffer.from(head.body, 'latin1');
  }

  get rawHeaders(): string[] {
    const raw: string[] = [];
    for (const name of Object.keys(this.headers)) raw.push(name, this.headers[name]!);
    return raw;
  }
}

/**
 * What the light Request asks of node:http's ServerResponse (its `signal` aborts on an early close): finished once
 * the fast path wrote the answer, or node:http's response itself once the request was handed over. Its fields are
 * plain ones, set from the start (no private field made per instance).
 */
export class HeadResponse {
  real: ServerResponse | undefined = undefined;
  written = false;
  closeListeners: (() => void)[] | undefined = undefined;

  get closed(): boolean {
    return this.real === undefined ? this.written : this.real.closed;
  }
  get writableFinished(): boolean {
    return this.real === undefined ? this.written : this.real.writableFinished;
  }
  once(event: string, listener: () => void): this {
    if (event !== 'close') return this;
    if (this.real !== undefined) this.real.once('close', listener);
    else if (!this.written) {
      this.closeListeners ??= [];
      this.closeListeners.push(listener);
    }
    return this;
  }
  /** The request is node:http's now: whoever waits for the close waits on its response. */
  become(res: ServerResponse): void {
    this.real = res;
    for (const listener of this.closeListeners?.splice(0) ?? []) res.once('close', listener);
  }
  /** The connection closed before an answer went out: whoever waits for the close is told (the Request's signal aborts). */
  abandon(): void {
    for (const listener of this.closeListeners?.splice(0) ?? []) listener();
  }
}

/** One request of the fast path, and how it becomes node:http's (see Replay). */
export class FastExchange {
  replay: Replay | undefined = undefined;

  constructor(
    readonly socket: Socket,
    readonly handOver: () => void,
    readonly response: HeadResponse,
  ) {}

  /** node:http's request and response for this request, made on the first call by handing the connection over. */
  nodes(): Replay {
    if (this.replay !== undefined) return this.replay;
    const replay = new Replay(this.socket);
    this.replay = replay;
    if (handOverWith(replay, this.handOver) && replay.res !== undefined) this.response.become(replay.res);
    else this.response.abandon();
    return replay;
  }
}

const EXCHANGE = Symbol('corral.exchange');

/**
 * A fetch app's `env` on the fast path: `incoming` and `outgoing` make the request node:http's when first read. A
 * class, not an object literal with getters: each such literal got a hidden class of its own (its getters are new
 * functions each time), which lived in old space and kept every request's objects past the young generation's
 * collections (1.1 MB promoted per scavenge, a young generation grown to 16 MB, measured with --trace-gc).
 */
export class FastEnv {
  readonly [EXCHANGE]: FastExchange;

  constructor(exchange: FastExchange) {
    this[EXCHANGE] = exchange;
  }
  get incoming(): IncomingMessage | undefined {
    return this[EXCHANGE].nodes().req;
  }
  get outgoing(): ServerResponse | undefined {
    return this[EXCHANGE].nodes().res;
  }
}

/**
 * Fields node:http writes or reads itself (framing, the connection, Date), and the mark of an answer the app wrote
 * through `env.outgoing` (fetch.ts): an answer with one is the ordinary path's to write.
 */
const NODE_FIELDS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'date',
  'trailer',
  'expect',
  'x-hono-already-sent',
]);

/** What the fast path writes as it is: tabs and visible ASCII, line ends. Anything else node:http checks or encodes. */
const ASCII_HEAD = /^[\t\r\n\x20-\x7e]*$/;

/**
 * The wire text of a whole light Response, as node:http writes what fetch-response.ts's writeWhole gives it: status
 * line (the app's reason phrase, else node:http's), the fields in the app's order with each Set-Cookie on its own
 * line, the Content-Length; Date and Connection follow from the writer. Undefined when node:http must write it: a
 * 1xx, 204 or 304 (no length, node:http's own rules), a field of NODE_FIELDS, or text that is not plain ASCII.
 */
export function wireOf(whole: WholeResponse, method: string): WireMade | undefined {
  const { status, body } = whole;
  if (status < 200 || status === 204 || status === 304) return undefined;
  let head = `HTTP/1.1 ${status} ${whole.statusText === '' ? (STATUS_CODES[status] ?? 'unknown') : whole.statusText}\r\n`;
  const given = whole.headers ?? whole.fields;
  if (given === undefined) {
    if (typeof body === 'string') head += `content-type: ${TEXT_TYPE}\r\n`;
  } else {
    const fields = given instanceof Headers ? headerLines(given) : fieldLines(given);
    if (fields === undefined) return undefined;
    head += fields;
  }
  const length = body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  head += `content-length: ${length}\r\n`;
  if (!ASCII_HEAD.test(head)) return undefined;
  return { status, head, body: length === 0 || method === 'HEAD' || body === null ? undefined : body };
}

function headerLines(headers: Headers): string | undefined {
  let lines = '';
  for (const [name, value] of headers) {
    if (NODE_FIELDS.has(name)) return undefined;
    if (name !== 'set-cookie') lines += `${name}: ${value}\r\n`;
  }
  for (const cookie of headers.getSetCookie()) lines += `set-cookie: ${cookie}\r\n`;
  return lines;
}

function fieldLines(fields: HeaderFields): string | undefined {
  let lines = '';
  for (const name of Object.keys(fields)) {
    if (NODE_FIELDS.has(name)) return undefined;
    const value = fields[name]!;
    if (typeof value === 'string') lines += `${name}: ${value}\r\n`;
    else for (const one of value) lines += `${name}: ${one}\r\n`;
  }
  return lines;
}
