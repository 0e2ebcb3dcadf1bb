// Puts the light Request and Response in place of the global ones (and lets the global fetch() take a light Request), once per process, when a fetch app is adapted.
import { defineLightRequest, type LightRequestParts } from './light-request.ts';
import { defineLightResponse, type LightResponseParts } from './light-response.ts';

export interface FetchGlobals {
  request: LightRequestParts;
  response: LightResponseParts;
}

let installed: FetchGlobals | undefined;

/**
 * undici's Request costs about 8 us to build and its Response about 20 us (a web stream per body), more than a
 * whole hello world; @hono/node-server and srvx answer the same way, with objects that make undici's only on
 * demand. Installed on first use, so a worker serving another shape never loads Node's fetch implementation.
 * What stays true for the app: `instanceof Request` / `Response` both ways, `new Request(request)`,
 * `fetch(request)`, subclasses such as NextResponse, and every member undici's objects have (docs/apps.md).
 */
export function installFetchGlobals(): FetchGlobals {
  if (installed !== undefined) return installed;
  const nativeFetch = globalThis.fetch;
  const request = defineLightRequest(globalThis.Request);
  const response = defineLightResponse(globalThis.Response);
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    nativeFetch(request.toNative(input), init);
  // Code that names what it holds (`x.constructor.name === 'Response'`) sees the names it knows.
  Object.defineProperty(request.RequestClass, 'name', { value: 'Request' });
  Object.defineProperty(response.LightResponse, 'name', { value: 'Response' });
  replaceGlobal('Request', request.RequestClass);
  replaceGlobal('Response', response.LightResponse);
  replaceGlobal('fetch', fetch);
  installed = { request, response };
  return installed;
}

/** Node defines Request and Response as lazy accessors of globalThis, fetch as a value: each becomes a writable value. */
function replaceGlobal(name: 'Request' | 'Response' | 'fetch', value: unknown): void {
  const current = Object.getOwnPropertyDescriptor(globalThis, name);
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: current?.enumerable ?? false,
    writable: true,
    value,
  });
}
