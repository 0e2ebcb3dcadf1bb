// The Request subclass a fetch app receives: a plain Request whose signal is only made when someone asks for it.

/**
 * The Request a fetch app receives. Its `signal` is made on first use, and aborted by clientLeft(): linking
 * an AbortSignal through the Request constructor costs more than the rest of the Request together, and
 * most apps never look at it. A clone() follows this signal (linked the standard way, paid only by apps
 * that clone); `new Request(request)` does not: it copies the constructor's own, never-aborted one.
 */
export class IncomingRequest extends Request {
  #controller: AbortController | undefined;
  #left = false;

  static {
    Object.defineProperty(this.prototype, 'signal', {
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

  /** The client disconnected before the response was finished. */
  clientLeft(): void {
    this.#left = true;
    this.#controller?.abort();
  }
}
