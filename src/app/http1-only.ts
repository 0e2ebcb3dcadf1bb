// Tells apps that cannot run on HTTP/2's request and response objects: those that swap the prototypes of Node's IncomingMessage and ServerResponse (Express).
import { IncomingMessage, Server } from 'node:http';

/**
 * Express (4 and 5) sets the prototype of every req and res to its own `app.request` / `app.response`, which
 * inherit from http.IncomingMessage and http.ServerResponse. Node's HTTP/2 compatibility objects
 * (Http2ServerRequest/Response) are other classes: once re-parented, their reads go to IncomingMessage's
 * internals, which they do not have, and the worker crashes on the first request. Returns why the app needs HTTP/1.1,
 * or undefined when it runs on HTTP/2.
 */
export function http1OnlyReason(value: unknown): string | undefined {
  const candidates = value instanceof Server ? value.listeners('request') : [value];
  for (const candidate of candidates) {
    if ((typeof candidate !== 'function' && typeof candidate !== 'object') || candidate === null) continue;
    const request = (candidate as { request?: unknown }).request;
    if (
      typeof request === 'object' &&
      request !== null &&
      Object.prototype.isPrototypeOf.call(IncomingMessage.prototype, request)
    ) {
      return "the app replaces the prototypes of Node's request and response objects (as Express does), which HTTP/2's objects cannot take";
    }
  }
  return undefined;
}
