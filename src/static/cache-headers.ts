// Cache-Control and Expires for a served file: `static-expires` rules give a max-age, any other file revalidates with its validators.
export interface ExpiresRuleSource {
  readonly pattern: string;
  readonly seconds: number;
}

/** The caching policy of one file: its Cache-Control value and, for a max-age, the seconds Expires is ahead of now. */
export interface CachePolicy {
  readonly cacheControl: string;
  readonly expiresSeconds: number | undefined;
}

/** Without a rule: caches may store the file but must ask again (a cheap 304) before reusing it. */
export const REVALIDATE: CachePolicy = { cacheControl: 'no-cache', expiresSeconds: undefined };

/** A max-age of a year or more says the file never changes under its name (a hashed asset): browsers skip revalidating it. */
const IMMUTABLE_FROM = 31_536_000;

/** Compiles the rules once; the result maps a file's absolute path to its policy (the first matching rule wins). */
export function cachePolicies(rules: readonly ExpiresRuleSource[]): (filePath: string) => CachePolicy {
  const compiled = rules.map((rule) => ({
    regex: new RegExp(rule.pattern),
    policy: {
      cacheControl: `public, max-age=${rule.seconds}${rule.seconds >= IMMUTABLE_FROM ? ', immutable' : ''}`,
      expiresSeconds: rule.seconds,
    },
  }));
  return (filePath) => compiled.find((rule) => rule.regex.test(filePath))?.policy ?? REVALIDATE;
}

// Expires values by offset, each rebuilt at most once per second.
const expiresTexts = new Map<number, { second: number; text: string }>();

/** The Expires value `seconds` from now (the Date header's clock: whole seconds). */
export function expiresIn(seconds: number): string {
  const now = Math.floor(Date.now() / 1000);
  const known = expiresTexts.get(seconds);
  if (known !== undefined && known.second === now) return known.text;
  const text = new Date((now + seconds) * 1000).toUTCString();
  expiresTexts.set(seconds, { second: now, text });
  return text;
}
