// Decides what part of a representation a Range request gets: all of it, some ranges (206), or none (416); If-Range included.
import type { IncomingHttpHeaders } from 'node:http';
import parseRange from 'range-parser';
import { parseDate, type Validators } from './conditional.ts';

/** One inclusive byte range. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export type RangePlan =
  | { readonly kind: 'full' }
  | { readonly kind: 'partial'; readonly ranges: readonly ByteRange[] }
  | { readonly kind: 'unsatisfiable' };

const FULL: RangePlan = { kind: 'full' };
const UNSATISFIABLE: RangePlan = { kind: 'unsatisfiable' };

/** More ranges than this in one request are answered in full: a cheap guard against many-tiny-ranges abuse. */
export const MAX_RANGES = 64;

/**
 * Plans a GET's ranges over `size` bytes. A malformed Range, a unit other than bytes, or an If-Range that no longer
 * matches gets the full representation; overlapping and adjacent ranges are merged (range-parser's `combine`).
 */
export function planRange(headers: IncomingHttpHeaders, size: number, validators: Validators): RangePlan {
  const header = headers.range;
  if (header === undefined) return FULL;
  if (!ifRangeHolds(headers['if-range'] as string | undefined, validators)) return FULL;
  const parsed = parseRange(size, header, { combine: true });
  if (parsed === -1) return UNSATISFIABLE;
  if (parsed === -2 || parsed.type !== 'bytes' || parsed.length > MAX_RANGES) return FULL;
  const ranges = parsed.map(({ start, end }) => ({ start, end }));
  // One range covering every byte is the whole representation: a 200 says so more simply.
  if (ranges.length === 1 && ranges[0]!.start === 0 && ranges[0]!.end === size - 1) return FULL;
  return { kind: 'partial', ranges };
}

/** If-Range holds when absent, when it is our strong ETag, or when it is exactly our Last-Modified date. */
function ifRangeHolds(ifRange: string | undefined, validators: Validators): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === validators.etag;
  return parseDate(value) === validators.lastModifiedMs;
}
