// Evaluates the request's preconditions (If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since) in RFC 9110's order.
import type { IncomingHttpHeaders } from 'node:http';

/** What the preconditions decide: go on, answer 304 Not Modified, or answer 412 Precondition Failed. */
export type Precondition = 'proceed' | 'not-modified' | 'failed';

/** The validators of the representation that would be sent. */
export interface Validators {
  readonly etag: string;
  /** Last-Modified in ms, whole seconds. */
  readonly lastModifiedMs: number;
}

/** RFC 9110 section 13.2.2, for GET and HEAD. */
export function evaluatePreconditions(headers: IncomingHttpHeaders, validators: Validators): Precondition {
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined) {
    if (!listMatches(ifMatch, validators.etag, true)) return 'failed';
  } else {
    const since = parseDate(headers['if-unmodified-since']);
    if (since !== undefined && validators.lastModifiedMs > since) return 'failed';
  }
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) return listMatches(ifNoneMatch, validators.etag, false) ? 'not-modified' : 'proceed';
  const since = parseDate(headers['if-modified-since']);
  if (since !== undefined && validators.lastModifiedMs <= since) return 'not-modified';
  return 'proceed';
}

/**
 * True when the comma-separated entity-tag list holds `*` or `etag`. The strong comparison (If-Match, If-Range)
 * refuses weak tags; the weak one (If-None-Match) ignores the W/ prefix.
 */
export function listMatches(list: string, etag: string, strong: boolean): boolean {
  // The usual revalidation sends back exactly the tag it was given (ours are strong): no splitting needed.
  if (list === etag) return true;
  if (list.trim() === '*') return true;
  for (const raw of list.split(',')) {
    let tag = raw.trim();
    if (tag.startsWith('W/')) {
      if (strong) continue;
      tag = tag.slice(2);
    }
    if (tag === etag) return true;
  }
  return false;
}

/** An HTTP date in ms, or undefined when absent or unparsable (an invalid date is ignored, as RFC 9110 says). */
export function parseDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
