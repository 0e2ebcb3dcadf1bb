// The Request a fetch app receives: a light object over Node's IncomingMessage that makes undici's Request only when something needs it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyStream, hasBody, headerPairs, wholeBodyOf } from './fetch-request.ts';
import { defineLightHeaders } from './light-headers.ts';
import { delegateMissing, nativeInstanceCheck } from './native-members.ts';

export interface LightRequestParts {
  /** Makes the Request for one request; `url` is already absolute and parsed (see fetch-request.ts). */
  create(req: IncomingMessage, res: ServerResponse, url: string): Request;
  /** The class that takes the global Request's place: undici's, but it accepts a light Request as its input. */
  RequestClass: typeof Request;
  /** `input` itself, or the undici Request a light one stands for (what the global fetch() is given). */
  toNative<T>(input: T): T | Request;
}

/** Standard methods that a Request upper-cases (Fetch standard: normalize a method). */
const NORMALISED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/**
 * Only the URL and the method are there from the start. Headers are made on first use (light ones: light-headers.ts); `text()`, `json()`,
 * `arrayBuffer()`, `bytes()` and `blob()` read the IncomingMessage directly; `signal` is made on first use and
 * aborts when the client leaves before the response is finished. `body`, `clone()`, `formData()` and everything
 * else go to a real undici Request made then (with the body still unread, and the same signal), which `new
 * Request(request)` and `fetch(request)` are given too.
 */
export function defineLightRequest(Native: typeof Request): LightRequestParts {
  const lightHeaders = defineLightHeaders(Headers);
  let realOf!: (request: object) => Request;
  let isLight!: (value: unknown) => value is LightRequestImpl;

  /** undici's Request, taking a light Request as input by the real one it stands for. */
  class RequestClass extends Native {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(isLight(input) ? realOf(input) : input, init);
    }
    static override [Symbol.hasInstance](value: unknown): boolean {
      // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked of (a subclass, or this one)
      return nativeInstanceCheck(this, RequestClass, Native, value);
    }
  }

  class LightRequestImpl {
    readonly #req: IncomingMessage;
    readonly #res: ServerResponse;
    readonly #url: string;
    readonly #method: string;
    #headers: Headers | undefined;
    #controller: AbortController | undefined;
    /** The body was read by one of the direct readers (text(), json()...). */
    #read = false;
    #real: Request | undefined;

    constructor(req: IncomingMessage, res: ServerResponse, url: string) {
      this.#req = req;
      this.#res = res;
      this.#url = url;
      const method = req.method ?? 'GET';
      this.#method = NORMALISED.has(method) ? method : normalisedMethod(method);
    }

    get url(): string {
      return this.#url;
    }
    get method(): string {
      return this.#method;
    }
    get headers(): Headers {
      if (this.#real !== undefined) return this.#real.headers;
      this.#headers ??= lightHeaders.create(this.#req.rawHeaders);
      return this.#headers;
    }
    get signal(): AbortSignal {
      if (this.#controller === undefined) {
        const controller = new AbortController();
        this.#controller = controller;
        const res = this.#res;
        if (!isClosed(res))
          res.once('close', () => {
            if (!res.writableFinished) controller.abort();
          });
        else if (!res.writableFinished) controller.abort();
      }
      return this.#controller.signal;
    }
    get body(): ReadableStream<Uint8Array> | null {
      return this.#read ? null : this.#toReal().body;
    }
    get bodyUsed(): boolean {
      return this.#read || (this.#real?.bodyUsed ?? false);
    }

    text(): Promise<string> {
      if (this.#real !== undefined) return this.#real.text();
      return this.#readAll().then(utf8);
    }
    json(): Promise<unknown> {
      if (this.#real !== undefined) return this.#real.json();
      return this.#readAll().then((bytes) => JSON.parse(utf8(bytes)) as unknown);
    }
    arrayBuffer(): Promise<ArrayBuffer> {
      if (this.#real !== undefined) return this.#real.arrayBuffer();
      return this.#readAll().then((bytes) => new Uint8Array(bytes).buffer);
    }
    bytes(): Promise<Uint8Array> {
      if (this.#real !== undefined) return (this.#real as Request & { bytes(): Promise<Uint8Array> }).bytes();
      return this.#readAll().then((bytes) => new Uint8Array(bytes));
    }
    blob(): Promise<Blob> {
      if (this.#real !== undefined) return this.#real.blob();
      const type = this.#req.headers['content-type'] ?? '';
      return this.#readAll().then((bytes) => new Blob([new Uint8Array(bytes)], { type }));
    }
    formData(): Promise<FormData> {
      if (this.#read) return Promise.reject(used('formData'));
      return this.#toReal().formData();
    }
    clone(): Request {
      if (this.#read) throw used('clone');
      return this.#toReal().clone();
    }

    /** The whole body, read straight from the IncomingMessage (no web stream): once, as undici allows. */
    #readAll(): Promise<Buffer> {
      if (this.#read) return Promise.reject(used('read'));
      this.#read = true;
      const req = this.#req;
      if (!hasBody(req, this.#method)) return Promise.resolve(Buffer.alloc(0));
      const whole = wholeBodyOf(req);
      if (whole !== undefined) return Promise.resolve(whole);
      return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let ended = false;
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.once('end', () => {
          ended = true;
          resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
        });
        req.once('error', reject);
        req.once('close', () => {
          if (!ended) reject(new Error('the client closed the connection before the request body ended'));
        });
      });
    }

    #toReal(): Request {
      if (this.#real === undefined) {
        const req = this.#req;
        // `duplex` is in undici's RequestInit, not yet in the DOM lib's.
        const init: RequestInit & { duplex?: 'half' } = {
          method: this.#method,
          headers: (this.#headers && lightHeaders.madeOf(this.#headers)) ?? headerPairs(req.rawHeaders),
          signal: this.signal,
        };
        if (!this.#read && hasBody(req, this.#method)) {
          const whole = wholeBodyOf(req);
          // A Buffer is a Uint8Array over an ordinary ArrayBuffer (never a shared one).
          if (whole === undefined) init.body = bodyStream(req);
          else init.body = whole as Uint8Array<ArrayBuffer>;
          init.duplex = 'half';
        }
        this.#real = new Native(this.#url, init);
      }
      return this.#real;
    }

    [Symbol.for('nodejs.util.inspect.custom')](): object {
      return { method: this.#method, url: this.#url, headers: this.headers, bodyUsed: this.bodyUsed };
    }

    static {
      realOf = (request) => (request as LightRequestImpl).#toReal();
      isLight = (value): value is LightRequestImpl =>
        typeof value === 'object' && value !== null && #req in (value as object);
    }
  }
  Object.setPrototypeOf(LightRequestImpl.prototype, RequestClass.prototype);
  Object.defineProperty(LightRequestImpl.prototype, 'constructor', {
    configurable: true,
    writable: true,
    value: RequestClass,
  });
  delegateMissing(LightRequestImpl.prototype, Native.prototype, realOf);
  return {
    create: (req, res, url) => new LightRequestImpl(req, res, url) as unknown as Request,
    RequestClass,
    toNative: (input) => (isLight(input) ? realOf(input) : input),
  };
}

/** HTTP/1's ServerResponse says it has closed; HTTP/2's compatibility response leaves that to its stream. */
function isClosed(res: ServerResponse): boolean {
  return res.closed ?? (res as unknown as { stream?: { closed?: boolean } }).stream?.closed === true;
}

/** `get` becomes `GET`; a method outside the standard six is kept as it was sent. */
function normalisedMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALISED.has(upper) ? upper : method;
}

function used(what: string): TypeError {
  return new TypeError(`Request.${what}: the body has already been read`);
}

/** UTF-8 decode as the Body mixin does: a leading byte order mark is dropped. */
function utf8(bytes: Buffer): string {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return bom ? bytes.toString('utf8', 3) : bytes.toString('utf8');
}
