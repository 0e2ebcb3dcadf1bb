// Where a value came from (config file line, env var, CLI flag, or the default), and how error messages name that place.
export type Origin =
  | { kind: 'file'; file: string; line: number | undefined; itemLines?: readonly (number | undefined)[] }
  | { kind: 'env'; name: string }
  | { kind: 'cli'; flag: string }
  | { kind: 'default' };

/** The message prefix for a value: `app.yaml:7: processes: `, `CORRAL_PROCESSES: `, `--processes: ` (an item of a list gets its own line when known). */
export function messagePrefix(origin: Origin, key: string, item?: number): string {
  switch (origin.kind) {
    case 'file': {
      const line = (item === undefined ? undefined : origin.itemLines?.[item]) ?? origin.line;
      return `${origin.file}${line === undefined ? '' : `:${line}`}: ${key}: `;
    }
    case 'env':
      return `${origin.name}: `;
    case 'cli':
      return `${origin.flag}: `;
    case 'default':
      return `default ${key}: `;
  }
}

/** Just the place, for messages not about one key's value: `app.ini:4`, `CORRAL_HTTP`, `--http`. */
export function placeOf(origin: Origin): string {
  switch (origin.kind) {
    case 'file':
      return origin.line === undefined ? origin.file : `${origin.file}:${origin.line}`;
    case 'env':
      return origin.name;
    case 'cli':
      return origin.flag;
    case 'default':
      return 'default';
  }
}

/** Sorts messages into reading order: config file by line, then env vars, then flags. */
export function orderOf(origin: Origin, item?: number): number {
  switch (origin.kind) {
    case 'file':
      return (item === undefined ? undefined : origin.itemLines?.[item]) ?? origin.line ?? 0;
    case 'env':
      return 1e9;
    case 'cli':
      return 2e9;
    case 'default':
      return 3e9;
  }
}
