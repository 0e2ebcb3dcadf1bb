// Computes a representation's validators: a strong ETag from size and modification time, and the HTTP date of that time.

/** A strong ETag from the bytes' length and their file's mtime; `coding` marks a compressed representation apart. */
export function etagFor(size: number, mtimeMs: number, coding = ''): string {
  const suffix = coding === '' ? '' : `-${coding}`;
  return `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}${suffix}"`;
}

/** The modification time as HTTP dates carry it: whole seconds. */
export function wholeSecondsMs(mtimeMs: number): number {
  return Math.floor(mtimeMs / 1000) * 1000;
}
