// static-fallback for single-page apps: which configured page answers an unmatched HTML request under a prefix.
export interface FallbackRule {
  readonly prefix: string;
  readonly file: string;
}

/** Longest prefix first, so /app/admin beats /app. */
export function sortFallbacks(rules: readonly FallbackRule[]): FallbackRule[] {
  return [...rules].sort((a, b) => b.prefix.length - a.prefix.length);
}

/**
 * The fallback file for a raw path, or undefined. Only navigations get it: the Accept header must name text/html
 * (browsers send it for page loads, never for scripts, images or fetch() calls, so a missing asset stays a 404).
 */
export function fallbackFor(
  rules: readonly FallbackRule[],
  rawPath: string,
  accept: string | undefined,
): string | undefined {
  if (rules.length === 0 || accept === undefined || !accept.includes('text/html')) return undefined;
  for (const rule of rules) {
    if (rule.prefix === '/' || rawPath === rule.prefix || rawPath.startsWith(`${rule.prefix}/`)) return rule.file;
  }
  return undefined;
}
