// One representation of a file (identity or compressed): its validators, its caching policy and its response headers, prepared once.
import type { CachePolicy } from './cache-headers.ts';
import type { Validators } from './conditional.ts';
import type { Coding } from './encoding.ts';
import { etagFor, wholeSecondsMs } from './validators.ts';

export interface Representation extends Validators {
  readonly size: number;
  readonly contentType: string;
  readonly coding: Coding | undefined;
  readonly policy: CachePolicy;
  /** Headers every answer about it carries (validators, caching, Vary, Content-Encoding), as a flat name/value list. */
  readonly common: readonly string[];
  /** The full 200 answer's headers (Expires, when due, is added per request). */
  readonly headers200: readonly string[];
  /** The 304 answer's headers. */
  readonly headers304: readonly string[];
}

export interface RepresentationSpec {
  size: number;
  /** mtime of the file the bytes come from (the sibling's for a precompressed one). */
  mtimeMs: number;
  contentType: string;
  coding: Coding | undefined;
  policy: CachePolicy;
  /** Whether another client could get another coding of the same URL. */
  vary: boolean;
}

export function describeRepresentation(spec: RepresentationSpec): Representation {
  const etag = etagFor(spec.size, spec.mtimeMs, spec.coding);
  const lastModifiedMs = wholeSecondsMs(spec.mtimeMs);
  const common = [
    'ETag',
    etag,
    'Last-Modified',
    new Date(lastModifiedMs).toUTCString(),
    'Cache-Control',
    spec.policy.cacheControl,
  ];
  if (spec.coding !== undefined) common.push('Content-Encoding', spec.coding);
  if (spec.vary) common.push('Vary', 'Accept-Encoding');
  const headers200 = [
    'Content-Type',
    spec.contentType,
    'Content-Length',
    String(spec.size),
    'Accept-Ranges',
    'bytes',
    'X-Content-Type-Options',
    'nosniff',
    ...common,
  ];
  return { ...spec, etag, lastModifiedMs, common, headers200, headers304: common };
}
