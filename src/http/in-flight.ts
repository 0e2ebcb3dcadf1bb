// The responses a front end has in flight, oldest first, each with its pipeline record: a list threaded through the records, and the hook that tells the front end a response closed.
import type { ServerResponse } from 'node:http';

/** What the drain, harakiri and the heartbeats read: the responses still open with their records, oldest first. */
export interface InFlight<T> extends Iterable<[ServerResponse, T]> {
  readonly size: number;
}

/** What a record's list does when the record's response closes. */
interface Owner {
  remove(res: ServerResponse, record: InFlightNode): void;
}

/** A pipeline record as the list holds it: its own links, so that a request costs no entry of its own. */
export interface InFlightNode {
  /** The response, set by the list (undefined once it left the list). */
  res?: ServerResponse | undefined;
  prev?: InFlightNode | undefined;
  next?: InFlightNode | undefined;
  /** The list it is in, which is told when its response closes. */
  list?: Owner | undefined;
}

/** Where a response keeps its record while it is in flight. corral's response classes declare it (responses.ts). */
export const RECORD = Symbol('corral.record');

/**
 * Set on the prototype of a response class whose own `emit('close')` calls responseClosed() (corral's HTTP/2 class):
 * a response that still has it needs no 'close' listener. An app that gives the response another prototype drops it.
 */
export const REPORTS_CLOSE = Symbol('corral.reportsClose');

/** A response that may be in a list: corral's own classes declare the field (responses.ts, h2-headers.ts). */
export type Tracked = ServerResponse & { [RECORD]?: InFlightNode | undefined };

/**
 * Called when a response closes (sent, or cut short): from node:http's finish channel and the connection's close for
 * HTTP/1 (responses.ts, connections.ts), from its own emit('close') for HTTP/2 (h2-headers.ts), from a 'close'
 * listener for any other response. Takes the response out of its list and hands its record to the list's owner;
 * a second call for the same response does nothing.
 */
export function responseClosed(res: Tracked): void {
  const record = res[RECORD];
  if (record === undefined) return;
  record.list?.remove(res, record);
}

/**
 * A Map from response to record did the same job, but V8 allocates a Map's rehashed table in the generation the
 * previous one lived in: once the Map has survived a full GC, the churn of one set and one delete per request went
 * straight to old space. Here the records themselves are the links, and the response points to its record from a
 * field its class declares from the start (so adding it changes no object's shape): a request costs nothing but its
 * record.
 */
export class InFlightList<T extends InFlightNode> implements InFlight<T> {
  size = 0;
  #head: T | undefined;
  #tail: T | undefined;

  /** `onClosed` runs once per response added, when it closes, after the response left the list. */
  constructor(private readonly onClosed: (res: ServerResponse, record: T) => void = () => {}) {}

  add(res: ServerResponse, record: T): void {
    record.res = res;
    record.prev = this.#tail;
    record.next = undefined;
    record.list = this;
    if (this.#tail === undefined) this.#head = record;
    else this.#tail.next = record;
    this.#tail = record;
    (res as Tracked)[RECORD] = record;
    this.size++;
  }

  /** Takes `res` out (its close hook is then not called); returns its record, undefined when it was not in flight. */
  delete(res: ServerResponse): T | undefined {
    const record = (res as Tracked)[RECORD] as T | undefined;
    if (record === undefined || record.list !== this) return undefined;
    this.unlink(res, record);
    return record;
  }

  /** The response of `record` closed: out of the list, then the owner's hook. */
  remove(res: ServerResponse, record: T): void {
    if (record.list !== this) return;
    this.unlink(res, record);
    this.onClosed(res, record);
  }

  private unlink(res: ServerResponse, record: T): void {
    (res as Tracked)[RECORD] = undefined;
    record.list = undefined;
    record.res = undefined;
    const { prev, next } = record;
    if (prev === undefined) this.#head = next as T | undefined;
    else prev.next = next;
    if (next === undefined) this.#tail = prev as T | undefined;
    else next.prev = prev;
    // record.next stays: an iteration standing on this record goes on to the next one, as a Map's iterator would.
    this.size--;
  }

  *[Symbol.iterator](): Generator<[ServerResponse, T]> {
    for (let record = this.#head; record !== undefined; record = record.next as T | undefined) {
      // A record removed while the loop stood on it still leads on; only records still in flight are visited.
      if (record.list === this && record.res !== undefined) yield [record.res, record];
    }
  }
}
