// The Request subclass a fetch app receives: a plain Request whose signal is only made when someone asks for it.

/** A Request whose signal aborts when clientLeft() is called. */
export interface IncomingRequest extends Request {
  /** The client disconnected before the response was finished. */
  clientLeft(): void;
}

type IncomingRequestClass = new (input: string, init: RequestInit) => IncomingRequest;

let defined: IncomingRequestClass | undefined;

/**
 * The class, defined on first use: the global Request is a lazy getter that loads Node's fetch implementation
 * (measured here: about 55 ms per worker at start), which a worker serving another handler shape never needs.
 */
export function incomingRequestClass(): IncomingRequestClass {
  defined ??= defineIncomingRequest();
  return defined;
}

/**
 * Its `signal` is made on first use, and aborted by clientLeft(): linking an AbortSignal through the Request
 * constructor costs more than the rest of the Request together, and most apps never look at it. A clone()
 * follows this signal (linked the standard way, paid only by apps that clone); `new Request(request)` does
 * not: it copies the constructor's own, never-aborted one.
 */
function defineIncomingRequest(): IncomingRequestClass {
  return class IncomingRequest extends Request {
    #controller: AbortController | undefined;
    #left = false;

    static {
      Object.defineProperty(IncomingRequest.prototype, 'signal', {
        configurable: true,
        enumerable: true,
        get(this: IncomingRequest): AbortSignal {
          if (this.#controller === undefined) {
            this.#controller = new AbortController();
            if (this.#left) this.#controller.abort();
          }
          return this.#controller.signal;
        },
      });
    }

    override clone(): Request {
      return new Request(super.clone(), { signal: this.signal });
    }

    clientLeft(): void {
      this.#left = true;
      this.#controller?.abort();
    }
  };
}
