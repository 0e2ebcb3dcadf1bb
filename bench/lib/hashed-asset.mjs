// Picks the hashed static asset a framework's page links to: the asset row of the frameworks group fetches that one file.

/** Characters that end a URL inside HTML or a script: quotes, brackets, white space. */
const URL_END = `[^"'()<>\\s]`;

/**
 * The first URL in `html` under `prefix` (e.g. `/_nuxt/`), as an absolute path: in an attribute, an import() or a
 * CSS url(), with or without a leading `.` (SvelteKit writes `./_app/immutable/...`). A query or fragment is dropped.
 * Undefined when the page names none.
 */
export function hashedAsset(html, prefix) {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`["'(]\\.?(${escaped}${URL_END}+)`).exec(html);
  return match?.[1].replace(/[?#].*$/, '');
}

/** `16.5 KiB JS` for a file's size and path, to name the asset case. */
export function describeAsset(path, bytes) {
  const kind = path.slice(path.lastIndexOf('.') + 1).toUpperCase();
  const size = bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
  return `${size} ${kind}`;
}
