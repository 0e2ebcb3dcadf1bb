// The request body limit (`limit-post`): a declared length over the limit is refused up front; a chunked body is counted as it arrives.
import type { IncomingMessage } from 'node:http';

/** Thrown into the request stream when a chunked body passes the limit: the app's body reader fails with it. */
export class BodyTooLargeError extends Error {
  readonly code = 'CORRAL_BODY_TOO_LARGE';
  readonly status = 413;
  constructor(limit: number) {
    super(`the request body is larger than limit-post (${limit} bytes)`);
  }
}

/** True when the request declares a Content-Length over `limit` (node:http has checked it is a number). */
export function declaresTooMuch(req: IncomingMessage, limit: number): boolean {
  const length = req.headers['content-length'];
  return length !== undefined && Number(length) > limit;
}

/**
 * Counts the body of a request without a declared length as node:http hands it over (its parser calls `push` on the
 * request stream): the chunk that would pass `limit` is never pushed, so the app reads at most `limit` bytes, and
 * `onExceeded` runs once. HTTP/2's compatibility request is fed through `push` the same way.
 */
export function countBody(req: IncomingMessage, limit: number, onExceeded: () => void): void {
  // A declared length was checked up front, and node:http stops at it. Without one: chunked HTTP/1.1, or HTTP/2.
  if (req.headers['content-length'] !== undefined) return;
  let received = 0;
  let exceeded = false;
  const push = req.push;
  req.push = function countedPush(this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding): boolean {
    if (exceeded) return false;
    if (chunk !== null && chunk !== undefined) {
      received += (chunk as { length: number }).length;
      if (received > limit) {
        exceeded = true;
        onExceeded();
        return false;
      }
    }
    return push.call(this, chunk, encoding);
  };
}
