// The fast path of an HTTP/2 stream: a plain GET or HEAD for a cached file is answered on the stream itself, without node:http2's compatibility request and response; anything else goes on to them.
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { Server as NetServer } from 'node:net';
import type { WireResponse } from './fast-path.ts';
import { guardOf, streamClosed, type SessionGuard } from './h2-guard.ts';
import { LEFT_TO_NODE, LINE_EXTRA, type HeadLimits, type RequestHead } from './request-head.ts';

/**
 * Answers the stream with `send` and returns true, or returns false (nothing sent): the stream then goes to
 * node:http2's compatibility layer, and from there to the pipeline as any HTTP/2 request does.
 */
export type StreamAnswer = (stream: ServerHttp2Stream, head: RequestHead, send: SendOnStream) => boolean;

/** Sends a cached file's answer (see wire-answer.ts) on an HTTP/2 stream. */
export type SendOnStream = (stream: ServerHttp2Stream, wire: WireResponse) => void;

type StreamListener = (
  this: NetServer,
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  ...rest: unknown[]
) => void;

/** A target of visible ASCII without `#`, in origin form: what the HTTP/1 fast path takes (request-head.ts). */
const TARGET = /^\/[\x21\x22\x24-\x7e]*$/;

/**
 * Puts the fast path in front of node:http2's compatibility layer on `server` (a node:http2 secure server): its own
 * 'stream' listener, which makes an Http2ServerRequest and Http2ServerResponse for every stream, is replaced in its
 * place by one that first asks `answer`. Node's stream API answers a cached file at 1.4x the rate of its
 * compatibility objects (measured: a 1 KiB body over TLS, h2load -c16 -m10, 36k against 25.5k requests a second),
 * and those objects are most of what corral's HTTP/2 path cost beyond Node's own. Returns false, and changes
 * nothing, when the compatibility listener is not found.
 */
export function installStreamFastPath(server: NetServer, answer: StreamAnswer, limits: HeadLimits): boolean {
  const listeners = server.rawListeners('stream') as StreamListener[];
  // Node binds it to the server (`bound onServerStream`, Node 20 to 26).
  const compat = listeners.find((listener) => /^(?:bound )?onServerStream$/.test(listener.name));
  if (compat === undefined) return false;
  const send = streamSender();
  function take(
    this: NetServer,
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    flags: number,
    rawHeaders: unknown,
    ...rest: unknown[]
  ): void {
    const head = Array.isArray(rawHeaders) ? streamHead(rawHeaders as string[], limits) : undefined;
    if (head !== undefined && !stream.destroyed && answer(stream, head, send)) return;
    compat!.call(this, stream, headers, flags, rawHeaders, ...rest);
  }
  server.removeAllListeners('stream');
  for (const listener of listeners) server.on('stream', listener === compat ? take : listener);
  return true;
}

/**
 * The head of an HTTP/2 request the fast path may answer, or undefined, read from the stream's raw header list (the
 * 'stream' event's fourth argument: names in lower case, values as sent, in order): a GET or HEAD whose target is in
 * origin form, no field of LEFT_TO_NODE (ranges, proxy fields, expectations), no body announced, no field twice (node:http2
 * joins or drops a repeat; the compatibility path does that), and no limit of the client shield passed (the
 * compatibility path refuses those: request-limits.ts). The pseudo-header fields count as fields, as they are in the
 * head's size. The flat list is read rather than node:http2's header object: a for-in over that prototype-less
 * object was most of this function's time.
 */
export function streamHead(raw: readonly string[], limits: HeadLimits): RequestHead | undefined {
  if (limits.requestFields > 0 && raw.length > 2 * limits.requestFields) return undefined;
  let method: string | undefined;
  let target: string | undefined;
  // An ordinary object, as the HTTP/1 reader makes: a name that an object already has is left to the slow path.
  const fields = {} as Record<string, string>;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    if (limits.requestFieldSize > 0 && name.length + value.length > limits.requestFieldSize) return undefined;
    if (name.charCodeAt(0) === 58 /* : */) {
      // HTTP/2 puts the pseudo-header fields first, and nghttp2 refuses one given twice.
      if (name === ':method') {
        if (value !== 'GET' && value !== 'HEAD') return undefined;
        method = value;
      } else if (name === ':path') target = value;
      continue;
    }
    if (name in fields || LEFT_TO_NODE.has(name) || name === 'content-length') return undefined;
    fields[name] = value;
  }
  if (method === undefined || target === undefined || !TARGET.test(target)) return undefined;
  if (limits.requestLine > 0 && method.length + target.length + LINE_EXTRA > limits.requestLine) return undefined;
  return { method: method as 'GET' | 'HEAD', target, headers: fields, body: '', end: 0 };
}

/** An answer's fields as an HTTP/2 header object, made once per cached answer from its HTTP/1 head. */
type StreamHeaders = Readonly<OutgoingHttpHeaders>;

const STREAM_HEADERS = Symbol('corral.streamHeaders');

type WithStreamHeaders = WireResponse & { [STREAM_HEADERS]?: StreamHeaders };

/**
 * The fields of `wire.head` (a status line, then `Name: value` lines with their CRLF) as node:http2's compatibility
 * response would send them from the same writeHead: names in lower case, a name given twice as a list; Date is
 * node:http2's own.
 */
function streamHeadersOf(wire: WireResponse): StreamHeaders {
  const cached = (wire as WithStreamHeaders)[STREAM_HEADERS];
  if (cached !== undefined) return cached;
  const headers: Record<string, string | number | string[]> = { ':status': wire.status };
  const lines = wire.head.split('\r\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(': ');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 2);
    const before = headers[name];
    headers[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [String(before), value];
  }
  const frozen = Object.freeze(headers);
  (wire as WithStreamHeaders)[STREAM_HEADERS] = frozen;
  return frozen;
}

/**
 * Sends cached answers on streams: the header object of each answer made once (node:http2 copies it and adds Date),
 * the body, when there is one, ended with it. A stream of a session the rapid-reset check watches (h2-guard.ts)
 * reports its close there, as a compatibility response does: a cancelled stream spends budget, a finished one earns
 * it back.
 */
function streamSender(): SendOnStream {
  return (stream, wire) => {
    // A stream cut under its answer (its session destroyed, a write failed) says so with 'error', as the
    // compatibility request's stream does, where a listener that does nothing takes it: unheard, it would end the
    // worker. Its end is in the access line already, and the session's own error goes to the server.
    stream.on('error', ignoreError);
    const guard = guardOf(stream.session);
    if (guard !== undefined) {
      // Kept on the stream, which no longer knows its session when it closes; one shared listener, no closure.
      (stream as GuardedStream)[STREAM_GUARD] = guard;
      stream.on('close', reportClose);
    }
    const body = wire.body;
    stream.respond(streamHeadersOf(wire), { endStream: body === undefined });
    if (body !== undefined) stream.end(body);
  };
}

function ignoreError(): void {}

const STREAM_GUARD = Symbol('corral.streamGuard');

type GuardedStream = ServerHttp2Stream & { [STREAM_GUARD]?: SessionGuard };

/** A guarded stream closed: cancelled by the client (an RST_STREAM of any code) or finished. */
function reportClose(this: GuardedStream): void {
  const guard = this[STREAM_GUARD];
  if (guard !== undefined) streamClosed(guard, this.rstCode !== 0);
}
