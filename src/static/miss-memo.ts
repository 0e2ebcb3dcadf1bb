// The URL paths the static step found nothing for a moment ago, so that an app's page under check-static does not pay the same file-system misses on every request.
import { performance } from 'node:perf_hooks';

/**
 * How long a miss is believed: a file that appears under a static directory is served at most this late. Under
 * check-static at "/" (a framework's build) every page is a miss, and each costs a stat or three per directory (for
 * "/", the directory, its stat and its index.html: about 20 us of a SvelteKit page's 430, profiled); a page asked
 * for more than a few times a second pays them a few times a second instead. nginx's open_file_cache_errors keeps
 * misses for open_file_cache_valid (60 s when on); the frameworks' own static servers list their files once, at start.
 */
export const MISS_MEMO_MS = 100;

/** Paths come from clients: the memo is emptied rather than let grow past this. */
const MAX_PATHS = 4096;

export class MissMemo {
  readonly #until = new Map<string, number>();

  constructor(private readonly ms: number = MISS_MEMO_MS) {}

  /** True when `rawPath` was found missing less than the memo's time ago. */
  recent(rawPath: string): boolean {
    if (this.ms === 0) return false;
    const until = this.#until.get(rawPath);
    if (until === undefined) return false;
    if (performance.now() < until) return true;
    this.#until.delete(rawPath);
    return false;
  }

  /** `rawPath` was just found missing everywhere the static step looks. */
  add(rawPath: string): void {
    if (this.#until.size >= MAX_PATHS) this.#until.clear();
    this.#until.set(rawPath, performance.now() + this.ms);
  }
}
