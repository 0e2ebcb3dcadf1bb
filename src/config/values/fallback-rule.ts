// The static-fallback value type: "/PREFIX=FILE", the page a single-page app serves for its client-side routes under PREFIX.
import { prefixPairType } from './prefix-pair.ts';

/** A fallback before resolution: `file` is still as written. */
export interface FallbackSpec {
  prefix: string;
  file: string;
}

export const fallbackRuleType = prefixPairType<FallbackSpec>('FILE', 'file', (prefix, file) => ({ prefix, file }));
