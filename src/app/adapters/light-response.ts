// The Response class a worker serving a fetch app puts in place of the global one: it records status, headers and body, and makes undici's Response only when the body is read as a stream.
import { type HeaderFields, plainFields, toHeaders } from './header-fields.ts';
import { delegateMissing, nativeInstanceCheck } from './native-members.ts';

/** A body the adapter writes as it is: one `end()` with a Content-Length, no stream. */
export type WholeBody = string | Uint8Array | null;

/** What the writer needs of a Response whose body is whole (see wholeResponse). */
export interface WholeResponse {
  status: number;
  statusText: string;
  /** The headers as a Headers object, once the app gave one or looked at `response.headers`. */
  headers: Headers | undefined;
  /** The headers as the plain object the app gave, checked and copied (header-fields.ts), while no Headers exists. */
  fields: HeaderFields | undefined;
  body: WholeBody;
}

export interface LightResponseParts {
  /** The class itself, which takes the global Response's place. */
  LightResponse: typeof Response;
  /** The parts of `response` when it is a light Response with a whole body; undefined for anything else. */
  whole(response: unknown): WholeResponse | undefined;
}

/** Statuses whose Response must have a null body (Fetch standard: null body status). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** A reason phrase: tabs, spaces, visible ASCII and obs-text (what undici accepts as statusText). */
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** The Content-Type of a string body (Fetch standard: extract a body). */
export const TEXT_TYPE = 'text/plain;charset=UTF-8';

/**
 * Built on first use from the global Response of the moment (undici's), so a worker that serves another handler
 * shape never loads Node's fetch implementation. Its instances pass `instanceof Response` both ways: the class's
 * prototype inherits from undici's (so `x instanceof OriginalResponse` holds), and `x instanceof Response` is true
 * for undici's own responses (those `fetch()` returns). A subclass (Next's NextResponse) keeps plain `instanceof`.
 */
export function defineLightResponse(Native: typeof Response): LightResponseParts {
  let whole!: LightResponseParts['whole'];
  let carrierOf!: (response: object) => Response;
  class LightResponse {
    #status: number;
    #statusText: string;
    #headers: Headers | undefined;
    /** Headers given as a plain object, kept so until someone asks for `headers` (see header-fields.ts). */
    #fields: HeaderFields | undefined;
    /** The Content-Type is the one the body's type gave, not the app's: Response.json() puts its own. */
    #typeDefaulted = false;
    /** The body as given when it is whole; once `#carrier` exists, the carrier holds it. */
    #body: WholeBody;
    /** undici's Response holding the body, made when the body is a stream or is read through the Body methods. */
    #carrier: Response | undefined;

    constructor(body?: BodyInit | null, init?: ResponseInit) {
      const status = init?.status === undefined ? 200 : Number(init.status) & 0xffff;
      if (status < 200 || status > 599)
        throw new RangeError(`Response: status ${status} is outside the range 200 to 599`);
      const statusText = init?.statusText === undefined ? '' : String(init.statusText);
      if (statusText !== '' && !REASON_PHRASE.test(statusText))
        throw new TypeError(`Response: statusText ${JSON.stringify(statusText)} is no reason phrase`);
      if (body != null && NULL_BODY_STATUSES.has(status))
        throw new TypeError(`Response: a ${status} response cannot have a body`);
      this.#status = status;
      this.#statusText = statusText;
      // Copied now, as undici does: an init.headers the app changes later (or shares with another response) stays apart.
      if (init?.headers !== undefined) {
        this.#fields = plainFields(init.headers);
        if (this.#fields === undefined) this.#headers = new Headers(init.headers);
      }
      if (body == null) this.#body = null;
      else if (typeof body === 'string') {
        this.#body = body;
        this.#typeDefaulted = !this.#has('content-type');
        if (this.#typeDefaulted && init?.headers !== undefined) this.#set('content-type', TEXT_TYPE);
      } else if (body instanceof ArrayBuffer) this.#body = new Uint8Array(body.slice(0));
      else if (ArrayBuffer.isView(body))
        this.#body = new Uint8Array(body.buffer, body.byteOffset, body.byteLength).slice();
      else {
        // A stream, Blob, FormData, URLSearchParams...: undici makes the body and its Content-Type.
        this.#body = null;
        this.#carrier = new Native(body);
        const type = this.#carrier.headers.get('content-type');
        if (type !== null && !this.#has('content-type')) this.#set('content-type', type);
      }
    }

    get status(): number {
      return this.#status;
    }
    get statusText(): string {
      return this.#statusText;
    }
    get ok(): boolean {
      return this.#status >= 200 && this.#status <= 299;
    }
    get headers(): Headers {
      if (this.#headers === undefined) {
        this.#headers = this.#fields === undefined ? new Headers() : toHeaders(this.#fields);
        this.#fields = undefined;
        if (typeof this.#body === 'string' && !this.#headers.has('content-type'))
          this.#headers.set('content-type', TEXT_TYPE);
      }
      return this.#headers;
    }
    get type(): ResponseType {
      return 'default';
    }
    get url(): string {
      return '';
    }
    get redirected(): boolean {
      return false;
    }
    get body(): ReadableStream<Uint8Array> | null {
      return this.#carry().body;
    }
    get bodyUsed(): boolean {
      return this.#carrier?.bodyUsed ?? false;
    }
    text(): Promise<string> {
      return this.#carry().text();
    }
    json(): Promise<unknown> {
      return this.#carry().json();
    }
    arrayBuffer(): Promise<ArrayBuffer> {
      return this.#carry().arrayBuffer();
    }
    blob(): Promise<Blob> {
      return this.#carry().blob();
    }
    formData(): Promise<FormData> {
      return this.#carry().formData();
    }

    clone(): LightResponse {
      if (this.bodyUsed) throw new TypeError('Response.clone: the body has already been read');
      const copy = new LightResponse(null, { status: this.#status, statusText: this.#statusText });
      if (this.#headers !== undefined) copy.#headers = new Headers(this.#headers);
      if (this.#fields !== undefined) copy.#fields = { ...this.#fields };
      copy.#typeDefaulted = this.#typeDefaulted;
      // A whole body is never changed by anyone, so the copy can share it; a stream is teed.
      copy.#body = this.#body;
      if (this.#carrier !== undefined) copy.#carrier = this.#carrier.clone();
      return copy;
    }

    #carry(): Response {
      // With the headers: formData() and blob() read the body's type from them.
      this.#carrier ??= new Native(this.#body as BodyInit | null, { headers: this.headers });
      return this.#carrier;
    }

    #has(name: string): boolean {
      if (this.#headers !== undefined) return this.#headers.has(name);
      return this.#fields !== undefined && this.#fields[name] !== undefined;
    }

    #set(name: string, value: string): void {
      if (this.#headers === undefined) {
        this.#fields ??= {};
        this.#fields[name] = value;
      } else this.#headers.set(name, value);
    }

    static json(data: unknown, init?: ResponseInit): LightResponse {
      const text = JSON.stringify(data) as string | undefined;
      if (text === undefined) throw new TypeError('Response.json: the value cannot be serialised as JSON');
      const response = new LightResponse(text, init);
      if (response.#typeDefaulted) response.#set('content-type', 'application/json');
      return response;
    }

    static redirect(url: string | URL, status = 302): LightResponse {
      const location = new URL(url).href;
      if (!REDIRECT_STATUSES.has(status)) throw new RangeError(`Response.redirect: ${status} is no redirect status`);
      return new LightResponse(null, { status, headers: { location } });
    }

    static error(): Response {
      return Native.error();
    }

    static [Symbol.hasInstance](value: unknown): boolean {
      // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked of (a subclass, or this one)
      return nativeInstanceCheck(this, LightResponse, Native, value);
    }

    static {
      whole = (response) => {
        if (typeof response !== 'object' || response === null || !(#body in response)) return undefined;
        if (response.#carrier !== undefined) return undefined;
        const { status, statusText } = response;
        return { status, statusText, headers: response.#headers, fields: response.#fields, body: response.#body };
      };
      carrierOf = (response) => (response as LightResponse).#carry();
    }
  }
  Object.setPrototypeOf(LightResponse.prototype, Native.prototype);
  Object.setPrototypeOf(LightResponse, Native);
  delegateMissing(LightResponse.prototype, Native.prototype, carrierOf);
  return { LightResponse: LightResponse as unknown as typeof Response, whole };
}
