// The responses a front end has in flight, oldest first, each with its pipeline record: a list threaded through the responses, not a Map.
import type { ServerResponse } from 'node:http';

/** What the drain, harakiri and the heartbeats read: the responses still open with their records, oldest first. */
export interface InFlight<T> extends Iterable<[ServerResponse, T]> {
  readonly size: number;
}

interface Entry<T> {
  res: ServerResponse;
  record: T;
  prev: Entry<T> | undefined;
  next: Entry<T> | undefined;
}

/** Where a tracked response keeps its entry, so that removing it needs no lookup. */
const ENTRY = Symbol('corral.inFlight');

type Tracked<T> = ServerResponse & { [ENTRY]?: Entry<T> | undefined };

/**
 * A Map from response to record did the same job, but V8 allocates a Map's rehashed table in the generation the
 * previous one lived in. Once the Map has survived a full GC, the churn of one set and one delete per request (a new
 * table every few dozen requests, and at each shrink) went straight to old space, which only a full GC empties:
 * measured, several MB a second under a hello-world load and about 20 MB more worker RSS after it. Here a request
 * costs one small entry in new space, dead as soon as the response closes.
 */
export class InFlightList<T> implements InFlight<T> {
  size = 0;
  #head: Entry<T> | undefined;
  #tail: Entry<T> | undefined;

  add(res: ServerResponse, record: T): void {
    const entry: Entry<T> = { res, record, prev: this.#tail, next: undefined };
    if (this.#tail === undefined) this.#head = entry;
    else this.#tail.next = entry;
    this.#tail = entry;
    (res as Tracked<T>)[ENTRY] = entry;
    this.size++;
  }

  /** Removes `res` and returns its record; undefined when it was not in flight. */
  delete(res: ServerResponse): T | undefined {
    const entry = (res as Tracked<T>)[ENTRY];
    if (entry === undefined) return undefined;
    (res as Tracked<T>)[ENTRY] = undefined;
    if (entry.prev === undefined) this.#head = entry.next;
    else entry.prev.next = entry.next;
    if (entry.next === undefined) this.#tail = entry.prev;
    else entry.next.prev = entry.prev;
    // entry.next stays: an iteration standing on this entry goes on to the next one, as a Map's iterator would.
    this.size--;
    return entry.record;
  }

  *[Symbol.iterator](): Generator<[ServerResponse, T]> {
    for (let entry = this.#head; entry !== undefined; entry = entry.next) {
      // An entry removed while the loop stood on it still leads on; only entries still in flight are visited.
      if ((entry.res as Tracked<T>)[ENTRY] === entry) yield [entry.res, entry.record];
    }
  }
}
