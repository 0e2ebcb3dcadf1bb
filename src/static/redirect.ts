// Answers a directory URL sent without its trailing slash with a 301 to the same path plus '/', so relative links in its index work.
import type { ServerResponse } from 'node:http';

/**
 * The Location for a request whose raw path is `rawPath`: that path plus '/', then `query` ('' or '?...') as sent.
 * Leading slashes are collapsed to one, so a "//host/dir" target never becomes a protocol-relative redirect.
 */
export function directoryLocation(rawPath: string, query: string): string {
  return `${rawPath.replace(/^\/+/, '/')}/${query}`;
}

/** A bodiless 301 to `location`. */
export function redirectToDirectory(res: ServerResponse, location: string): void {
  res.writeHead(301, { Location: location, 'Content-Length': '0' });
  res.end();
}
