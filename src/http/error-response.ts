// The answers corral writes itself when no file or app answers, or when the app failed: short text bodies, never a stack.
import type { ServerResponse } from 'node:http';

/** Sends a plain-text error response, if headers have not gone out yet; otherwise cuts the response short. */
export function sendError(res: ServerResponse, status: number, body: string, requestId?: string): void {
  if (res.headersSent) {
    // Part of a response is already on the wire: the only honest signal left is to end the connection. A response
    // that was already complete (a 504 from harakiri, before the app's late answer) leaves the connection alone.
    if (!res.writableEnded) res.destroy();
    return;
  }
  const text = `${body}\n`;
  const headers: Record<string, string | number> = {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-content-type-options': 'nosniff',
  };
  if (requestId !== undefined) headers['x-request-id'] = requestId;
  res.writeHead(status, headers);
  res.end(res.req?.method === 'HEAD' ? undefined : text);
}
