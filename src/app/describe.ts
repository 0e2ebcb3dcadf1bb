// Describes thrown errors and arbitrary values in one line, for error messages (no stack traces, no multi-line dumps).

/** "TypeError: boom (at file:///app.mjs:3:9)": name, message and the first stack location, never the whole trace. */
export function describeThrown(error: unknown): string {
  if (typeof error !== 'object' || error === null || !('message' in error)) {
    return `a non-Error value: ${preview(error)}`;
  }
  const name = 'name' in error && typeof error.name === 'string' ? error.name : 'Error';
  const head = `${name}: ${oneLine(String(error.message))}`;
  const where = errorLocation(error);
  return where === undefined ? head : `${head} (at ${where})`;
}

/**
 * Where an error comes from: a syntax error's "file:///x.cjs:3" header line, else the first stack frame
 * outside Node's internals. Undefined when there is none (Node gives an ES module's syntax error no location).
 */
export function errorLocation(error: unknown): string | undefined {
  const stack = (error as { stack?: unknown } | null)?.stack;
  if (typeof stack !== 'string') return undefined;
  const lines = stack.split('\n');
  const header = lines[0] ?? '';
  if (/^(file:\/\/|\/|[A-Za-z]:\\).*:\d+$/.test(header)) return header;
  const frame = lines.find((line) => /^\s+at /.test(line) && !/\(?node:/.test(line));
  return frame?.trim().slice(3);
}

/** What a value is, for "found X": its type, constructor name and keys. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') {
    if (isClass(value)) {
      return `the class ${value.name || '(anonymous)'} itself (export an instance: \`new ${value.name || 'App'}()\`)`;
    }
    return `a function ${value.name || '(anonymous)'} with keys ${keyList(value)}`;
  }
  if (typeof value !== 'object') return `a ${typeof value} (${preview(value)})`;
  const ctor = constructorName(value);
  const kind = ctor === undefined || ctor === 'Object' ? 'an object' : `an object (constructor ${ctor})`;
  return `${kind} with keys ${keyList(value)}`;
}

/** True for a `class` declaration or expression (not callable as a listener). */
export function isClass(value: object): boolean {
  return /^class\b/.test(Function.prototype.toString.call(value));
}

function constructorName(value: object): string | undefined {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null) return 'none';
  const ctor: unknown = (proto as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : undefined;
}

function keyList(value: object): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return '(none)';
  const shown = keys.slice(0, 12).join(', ');
  return keys.length > 12 ? `${shown}, … (${keys.length} in all)` : shown;
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Folds a multi-line text into one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
