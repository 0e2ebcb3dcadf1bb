// The headers of a light Request: get() and has() read Node's raw header list; undici's Headers is made only when anything else is asked.
import { headerPairs } from './fetch-request.ts';
import { lowerHeaderName, trimmedHeaderValue } from './header-names.ts';
import { delegateMissing } from './native-members.ts';

export interface LightHeadersParts {
  /** The Headers a light Request hands its app, over the request's raw header list (names and values in turn). */
  create(raw: string[]): Headers;
  /** The undici Headers standing for `headers` if it was made (the app asked for more than get/has), else undefined. */
  madeOf(headers: Headers): Headers | undefined;
}

/**
 * An app mostly asks a request for one or two headers by name (Hono's `c.req.header('user-agent')`): building
 * undici's Headers for that validated and copied every header of the request, a few microseconds each time. Here
 * get() and has() scan the raw list Node parsed (a handful of names), with undici's results: case-insensitive,
 * repeated fields joined with `, ` (`; ` for Cookie), values without edge whitespace, HTTP/2 pseudo-headers left
 * out. Anything else (set, entries, iteration, getSetCookie...) makes the real Headers from the same list once and
 * is answered by it from then on. `instanceof Headers` holds: the prototype is chained to undici's.
 */
export function defineLightHeaders(Native: typeof Headers): LightHeadersParts {
  let realOf!: (headers: object) => Headers;
  let madeOf!: (headers: object) => Headers | undefined;

  class LightHeaders {
    #raw: string[];
    #real: Headers | undefined;

    constructor(raw: string[]) {
      this.#raw = raw;
    }

    get(name: string): string | null {
      if (this.#real !== undefined) return this.#real.get(name);
      const lower = lowerHeaderName(String(name));
      const raw = this.#raw;
      let value: string | null = null;
      for (let i = 0; i < raw.length; i += 2) {
        const field = raw[i]!;
        if (field.length !== lower.length || field.toLowerCase() !== lower) continue;
        const one = trimmedHeaderValue(raw[i + 1]!);
        value = value === null ? one : `${value}${lower === 'cookie' ? '; ' : ', '}${one}`;
      }
      return value;
    }

    has(name: string): boolean {
      return this.#real !== undefined ? this.#real.has(name) : this.get(name) !== null;
    }

    [Symbol.for('nodejs.util.inspect.custom')](): Headers {
      return realOf(this);
    }

    static {
      realOf = (headers) => {
        const light = headers as LightHeaders;
        light.#real ??= new Native(headerPairs(light.#raw));
        return light.#real;
      };
      madeOf = (headers) => (#raw in headers ? (headers as LightHeaders).#real : headers) as Headers | undefined;
    }
  }
  Object.setPrototypeOf(LightHeaders.prototype, Native.prototype);
  delegateMissing(LightHeaders.prototype, Native.prototype, realOf);
  return {
    create: (raw) => new LightHeaders(raw) as unknown as Headers,
    madeOf: (headers) => madeOf(headers),
  };
}
