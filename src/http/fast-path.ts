// The fast path of an HTTP/1.1 connection: a plain request for a cached file or a fetch app is read and answered straight from the connection's bytes; the first request it does not take hands the connection to node:http for good.
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { RefusalLog } from './refusal-log.ts';
import { readRequestHead, type HeadLimits, type RequestHead } from './request-head.ts';
import { sendWatch, type SendWatch } from './send-watch.ts';
import { silentWatch, type SilentWatch } from './silent-watch.ts';

/** An answer as bytes on the wire, made once per cached file version (src/static/wire-answer.ts). */
export interface WireResponse {
  readonly status: number;
  /** The status line and the response's own fields, each line with its CRLF; Date, Connection and the blank line follow. */
  readonly head: string;
  /** The body (none for HEAD and 304). */
  readonly body?: Buffer | undefined;
  /** The sender's: the head with its Date and the end of the head, for the second `second`, and a small body after it. */
  bytes?: Buffer;
  second?: number;
}

/** Bodies up to this size are sent in one buffer with the head (a copy of both once a second); larger ones by writev. */
const JOIN_MAX = 64 * 1024;

/** Writes an answer on the socket with the fields node:http adds to each of its answers (Date, Connection, Keep-Alive). */
export interface SendWire {
  /** A cached file's answer (its bytes kept on `wire` for the second). */
  (socket: Socket, wire: WireResponse): void;
  /** An answer made for one request: its status line and fields (ASCII only, each line with its CRLF), and its body. */
  made(socket: Socket, head: string, body: string | Uint8Array | undefined): void;
}

/**
 * Answers `head` with `send` and returns true, or returns false (nothing written): the connection goes to node:http.
 * `handOver` gives the connection to node:http at once, this request's bytes first (and any after them), and is
 * followed by `return true`: node:http reads the request again, synchronously, and from then on the connection is its
 * own (see fetch-fast.ts). A promise says the answer is under way: the connection reads nothing more until it
 * resolves, and the answerer must resolve it before the event loop moves on (answered, or handed over), so that no
 * timer (a drain, harakiri, a keep-alive sweep) ever finds a request that node:http does not know of.
 */
export type FastAnswer = (
  socket: Socket,
  head: RequestHead,
  send: SendWire,
  handOver: () => void,
) => boolean | Promise<void>;

export interface FastPathRules {
  readonly limits: HeadLimits;
  /** client-header-timeout: a connection that sends nothing for this long gets node:http's 408. */
  readonly headerTimeoutMs: number;
  /** send-timeout: a fast answer the client stops taking (see send-watch.ts). */
  readonly sendTimeoutMs: number;
  /** keepalive-timeout, advertised in `Keep-Alive: timeout=N` as node:http does (the front end closes idle connections). */
  readonly keepAliveMs: number;
  readonly refusals: RefusalLog;
}

type ConnectionListener = (this: HttpServer, socket: Socket) => void;

/**
 * Where a server's own listener takes a new connection: 'connection' for node:http, 'secureConnection' (the handshake
 * over) for node:https and node:http2's server, whose listener hands HTTP/1.1 connections to node:http's.
 */
export type FastPathEvent = 'connection' | 'secureConnection';

/**
 * Puts the fast path in front of node:http on `server`: the server's own listener of `event` (the one its
 * constructor adds) is replaced, in its place among the others, by one that reads the connection's bytes itself.
 * While every request on a connection is a plain one that `answer` takes (request-head.ts; a GET or HEAD of a cached
 * file, or a fetch app's request: pipeline.ts), node:http never sees it: no IncomingMessage, ServerResponse, parser or
 * timer per request. The first request that is not (a miss, a Node app's, a partial head, anything unusual) hands the
 * connection over with the bytes not yet answered, and node:http reads them as if they had just arrived; from then on
 * the connection is node:http's.
 *
 * Written here rather than taken from a library: it is the part of corral that nginx's static speed comes from, and
 * its safety rests on answering only what llhttp (strict) would read the same way.
 * Returns false, and changes nothing, when node:http's listener is not found.
 */
export function installFastPath(
  server: HttpServer,
  answer: FastAnswer,
  rules: FastPathRules,
  event: FastPathEvent = 'connection',
): boolean {
  const listeners = server.rawListeners(event) as ConnectionListener[];
  const nodeListener = listeners.find((listener) => listener.name === 'connectionListener');
  if (nodeListener === undefined) return false;
  const fast: FastServer = {
    server,
    nodeListener,
    answer,
    send: wireSender(rules.keepAliveMs),
    sending: sendWatch(rules.sendTimeoutMs, rules.refusals),
    silent: silentWatch(server, rules.headerTimeoutMs),
    limits: rules.limits,
  };
  function take(this: HttpServer, socket: Socket): void {
    // HTTP/2 (ALPN h2) is node:http2's; so is a connection closed already (a TLS-ALPN-01 check), as it always was.
    if (socket.destroyed || (socket as TLSSocket).alpnProtocol === 'h2') return void nodeListener?.call(this, socket);
    fastConnection(fast, socket);
  }
  server.removeAllListeners(event);
  for (const listener of listeners) server.on(event, listener === nodeListener ? take : listener);
  return true;
}

/** What every connection of one server shares: the server's own listener, the writer and the two watches. */
interface FastServer {
  server: HttpServer;
  nodeListener: ConnectionListener;
  answer: FastAnswer;
  send: SendWire;
  sending: SendWatch;
  silent: SilentWatch;
  limits: HeadLimits;
}

function fastConnection(fast: FastServer, socket: Socket): void {
  const { server, answer, send, limits } = fast;
  // A connection that sends nothing is node:http's 408 after client-header-timeout (silent-watch.ts); one that sends
  // a partial head is handed over at once, and node:http times the rest.
  let silent = true;
  // A reset or a failed write: node:http's own listener would hand it to 'clientError', which closes the connection.
  const onError = (error: Error) => server.emit('clientError', error, socket);
  /**
   * node:http's listener takes the socket as if it had just been accepted, and the bytes not answered go to its
   * parser as they would have from the socket ('data'); what the socket reads next goes to that parser directly.
   */
  const handOff = (rest: Buffer) => {
    socket.removeListener('data', onData);
    socket.removeListener('error', onError);
    fast.nodeListener.call(server, socket);
    socket.emit('data', rest);
  };
  const resume = () => socket.resume();
  /** The bytes being read, and where the head being answered starts in them (for handOver). */
  let current: Buffer | undefined;
  let headStart = 0;
  let handed = false;
  /**
   * While an answer is under way (a promise, see FastAnswer): the bytes from its head on, where the next head starts in
   * them, and what the socket read meanwhile (kept unread until the answer is out).
   */
  let pending: { bytes: Buffer; next: number; later: Buffer[] } | undefined;
  /** The socket was paused because bytes came while an answer was under way. */
  let pausedForAnswer = false;
  const resumeAfterAnswer = () => {
    if (!pausedForAnswer) return;
    pausedForAnswer = false;
    socket.resume();
  };
  const handOver = () => {
    if (handed) return;
    const bytes =
      pending !== undefined
        ? Buffer.concat([pending.bytes, ...pending.later])
        : current === undefined
          ? undefined
          : current.subarray(headStart);
    if (bytes === undefined) return;
    handed = true;
    pending = undefined;
    // A connection closed while its answer was under way has nothing left to read. (The resume takes effect on the
    // next tick, after node:http's listener is in place.)
    resumeAfterAnswer();
    if (!socket.destroyed) handOff(bytes);
  };
  /** The answer under way is out (or handed over): the bytes that came after it are read now, in order. */
  const answered = () => {
    const waited = pending;
    pending = undefined;
    if (waited === undefined || handed || socket.destroyed) return;
    resumeAfterAnswer();
    const rest = waited.bytes.subarray(waited.next);
    const after = waited.later.length === 0 ? rest : Buffer.concat([rest, ...waited.later]);
    if (after.length > 0) onData(after);
    else afterAnswers();
  };
  /** The send-timeout watch and flow control for the answers just written. */
  const afterAnswers = () => {
    if (socket.writableLength === 0) return;
    fast.sending.add(socket);
    if (socket.writableLength >= socket.writableHighWaterMark) {
      socket.pause();
      socket.once('drain', resume);
    }
  };
  function onData(chunk: Buffer): void {
    if (silent) {
      silent = false;
      fast.silent.delete(socket);
    }
    if (pending !== undefined) {
      pending.later.push(chunk);
      // A client that sends on while its answer is under way waits for it (the bytes are read in order afterwards).
      if (!pausedForAnswer) {
        pausedForAnswer = true;
        socket.pause();
      }
      return;
    }
    const text = chunk.toString('latin1');
    let at = 0;
    current = chunk;
    while (at < text.length) {
      const head = readRequestHead(text, at, limits);
      headStart = at;
      if (head === undefined) break;
      const taken = answer(socket, head, send, handOver);
      if (taken === false) break;
      if (handed) return;
      if (taken !== true) {
        pending = { bytes: chunk.subarray(at), next: head.end - at, later: [] };
        current = undefined;
        void taken.then(answered);
        return;
      }
      at = head.end;
      // A client that sends requests faster than it reads the answers: the rest waits for node:http's flow control.
      if (socket.writableLength >= socket.writableHighWaterMark) break;
    }
    current = undefined;
    if (socket.destroyed || handed) return;
    if (at < text.length) return handOff(at === 0 ? chunk : chunk.subarray(at));
    afterAnswers();
  }
  fast.silent.add(socket);
  socket.on('error', onError);
  socket.on('data', onData);
}

/**
 * What node:http adds after a response's own fields, in its order: Date (its text made once a second), then
 * `Connection: keep-alive` and `Keep-Alive: timeout=N` (the fast path keeps every connection it answers).
 */
function wireSender(keepAliveMs: number): SendWire {
  const keepAlive = `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(keepAliveMs / 1000)}\r\n\r\n`;
  let second = -1;
  let tail = '';
  const tick = (): void => {
    const now = Date.now();
    if (now - second >= 1000 || now < second) {
      second = now - (now % 1000);
      tail = `Date: ${new Date(now).toUTCString()}\r\n${keepAlive}`;
    }
  };
  const send = (socket: Socket, wire: WireResponse): void => {
    tick();
    const body = wire.body;
    // An answer's bytes are made again when the Date changes, and written as they are: no string copied per request.
    if (wire.second !== second || wire.bytes === undefined) {
      const head = Buffer.from(wire.head + tail, 'latin1');
      wire.bytes = body === undefined || body.length > JOIN_MAX ? head : Buffer.concat([head, body]);
      wire.second = second;
    }
    if (body === undefined || body.length <= JOIN_MAX) {
      socket.write(wire.bytes);
      return;
    }
    socket.cork();
    socket.write(wire.bytes);
    socket.write(body);
    socket.uncork();
  };
  // A head of ASCII reads the same in UTF-8: a string body goes out in the same write, encoded as node:http would.
  send.made = (socket: Socket, head: string, body: string | Uint8Array | undefined): void => {
    tick();
    if (body === undefined) socket.write(head + tail, 'latin1');
    else if (typeof body === 'string') socket.write(head + tail + body);
    else {
      socket.cork();
      socket.write(head + tail, 'latin1');
      socket.write(body);
      socket.uncork();
    }
  };
  return send;
}
