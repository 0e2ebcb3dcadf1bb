// The per-worker memory cache of hot representations, bounded in bytes (static-cache-size), evicting by a second-chance clock.
import type { FreshnessCheck } from './freshness.ts';
import type { Representation } from './representation.ts';
import type { MemorySource } from './respond.ts';
import type { WireAnswers } from './wire-answer.ts';

export interface CacheEntry {
  readonly checks: readonly FreshnessCheck[];
  readonly rep: Representation;
  readonly source: MemorySource;
  /** Bytes charged against the limit: the body plus an estimate of the entry's own overhead. */
  readonly cost: number;
  /** Set on each hit, cleared by the clock hand: an entry used since the last pass survives one more. */
  used: boolean;
  /** The event-loop turn in which `checks` last held (-1: never checked since it was stored). */
  checkedInTurn: number;
  /** Its answers as the static fast path writes them, made on its first fast request (wire-answer.ts). */
  wire?: WireAnswers;
}

/** Charged per entry on top of its body: key, headers, checks and objects. */
export const ENTRY_OVERHEAD = 1024;

/**
 * The largest body the cache keeps, and never more than a quarter of the cache (see maxBody); bigger files stream
 * from disk. Node has no sendfile for sockets: a file streamed from disk is copied twice (read into a buffer, written
 * to the socket), one from memory once, and every client of a hot file shares the one body instead of a read buffer
 * each. A 2-worker node:cluster answering a 10 MiB file from memory did 431 req/s where corral's disk path did 191
 * (npm run bench -- --only=static, 2026-12-07 04:46 UTC).
 */
export const MAX_ENTRY_BODY = 16 * 1024 * 1024;

export class FileCache {
  readonly #limit: number;
  readonly #entries = new Map<string, CacheEntry>();
  #bytes = 0;
  // Keys requested once: a second request admits the file, so a crawl over many cold files never fills memory.
  readonly #seen = new Set<string>();
  /** Keys whose body is being read in (see startLoading). */
  readonly #loading = new Set<string>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  get enabled(): boolean {
    return this.#limit > 0;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The largest body this cache takes: MAX_ENTRY_BODY, or a quarter of its size if that is less. */
  get maxBody(): number {
    return Math.min(MAX_ENTRY_BODY, Math.floor(this.#limit / 4));
  }

  get(key: string): CacheEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined) entry.used = true;
    return entry;
  }

  /**
   * Marks `key` as being read into memory; false when it already is. One read per key at a time: the requests that
   * come meanwhile stream from disk, so a burst of clients on a large file just seen costs one body, not one each.
   */
  startLoading(key: string): boolean {
    if (this.#loading.has(key)) return false;
    this.#loading.add(key);
    return true;
  }

  doneLoading(key: string): void {
    this.#loading.delete(key);
  }

  /** True once `key` was asked for before (then it may be admitted); records the first ask. */
  seenBefore(key: string): boolean {
    if (this.#seen.has(key)) return true;
    if (this.#seen.size >= 16_384) this.#seen.clear();
    this.#seen.add(key);
    return false;
  }

  /** Stores the entry if it can fit at all, evicting others as needed. */
  set(key: string, entry: CacheEntry): void {
    this.delete(key);
    if (entry.cost > this.#limit) return;
    this.#entries.set(key, entry);
    this.#bytes += entry.cost;
    this.#evict();
  }

  delete(key: string): void {
    const old = this.#entries.get(key);
    if (old === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= old.cost;
  }

  #evict(): void {
    while (this.#bytes > this.#limit) {
      // Map iteration is in insertion order: the oldest first. A used entry moves to the back once.
      const [key, entry] = this.#entries.entries().next().value as [string, CacheEntry];
      this.#entries.delete(key);
      if (entry.used) {
        entry.used = false;
        this.#entries.set(key, entry);
      } else {
        this.#bytes -= entry.cost;
      }
    }
  }
}
