// Header names and values as undici's Headers takes them: a name checked and lower-cased (remembered, as apps use the same few), a value without edge whitespace.

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** Names already checked, each with its lower-case form: the check and the lower-casing are then one lookup. */
const checkedNames = new Map<string, string>();
/** Past this many names (an app that makes names up per request), checked names are no longer remembered. */
const CHECKED_NAMES_MAX = 1000;

/** `name` lower-cased; a name that is no token is refused with the TypeError undici throws. */
export function lowerHeaderName(name: string): string {
  const known = checkedNames.get(name);
  if (known !== undefined) return known;
  if (!TOKEN.test(name)) throw new TypeError(`Headers: ${JSON.stringify(name)} is no header name`);
  const lower = name.toLowerCase();
  if (checkedNames.size < CHECKED_NAMES_MAX) checkedNames.set(name, lower);
  return lower;
}

/** The value without leading and trailing HTTP whitespace, as a Headers keeps it (the very string when it has none). */
export function trimmedHeaderValue(raw: string): string {
  return raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32 ? raw.replace(EDGE_WHITESPACE, '') : raw;
}
