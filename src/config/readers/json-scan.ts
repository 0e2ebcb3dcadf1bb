// A small JSON scanner that finds what JSON.parse does not report: the line of each key and list item, duplicate keys, and where a syntax error is.
export interface JsonScan {
  /** Line of each key in the top two levels of objects, by path (keys joined with NUL). */
  keyLines: Map<string, number>;
  /** Line of each item of a list or mapping found at those keys, by the same path. */
  itemLines: Map<string, number[]>;
  /** Keys given twice in one object (JSON.parse silently keeps the last). */
  duplicates: { key: string; line: number; firstLine: number }[];
  /** Offset of the first syntax error, if any. */
  errorOffset: number | undefined;
}

class SyntaxStop {
  constructor(readonly offset: number) {}
}

export const pathKey = (path: readonly string[]): string => path.join('\u0000');

/** 1-based line of a character offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

export function scanJson(text: string): JsonScan {
  const scan: JsonScan = { keyLines: new Map(), itemLines: new Map(), duplicates: [], errorOffset: undefined };
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineAt = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  let i = 0;
  const stop = (): never => {
    throw new SyntaxStop(i);
  };
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const noteItem = (path: readonly string[] | undefined, line: number) => {
    if (path === undefined || path.length === 0) return;
    const key = pathKey(path);
    scan.itemLines.set(key, [...(scan.itemLines.get(key) ?? []), line]);
  };

  const readString = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text[i]! < ' ') stop();
      i++;
    }
    if (i >= text.length) stop();
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return stop();
    }
  };

  const readObject = (path: readonly string[] | undefined) => {
    i++;
    skipSpace();
    if (text[i] === '}') return void i++;
    const seen = new Map<string, number>();
    for (;;) {
      skipSpace();
      if (text[i] !== '"') stop();
      const line = lineAt(i);
      const key = readString();
      skipSpace();
      if (text[i] !== ':') stop();
      i++;
      const tracked = path !== undefined && path.length <= 1;
      if (tracked) {
        const first = seen.get(key);
        if (first !== undefined) scan.duplicates.push({ key, line, firstLine: first });
        else seen.set(key, line);
        if (!scan.keyLines.has(pathKey([...path, key]))) scan.keyLines.set(pathKey([...path, key]), line);
      }
      noteItem(path, line);
      readValue(tracked ? [...path, key] : undefined);
      skipSpace();
      if (text[i] === ',') i++;
      else if (text[i] === '}') return void i++;
      else stop();
    }
  };

  const readArray = (path: readonly string[] | undefined) => {
    i++;
    skipSpace();
    if (text[i] === ']') return void i++;
    for (;;) {
      skipSpace();
      noteItem(path, lineAt(i));
      readValue(undefined);
      skipSpace();
      if (text[i] === ',') i++;
      else if (text[i] === ']') return void i++;
      else stop();
    }
  };

  const readValue = (path: readonly string[] | undefined): void => {
    skipSpace();
    const char = text[i];
    if (char === '{') return readObject(path);
    if (char === '[') return readArray(path);
    if (char === '"') return void readString();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    const number = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    number.lastIndex = i;
    if (number.exec(text) === null) stop();
    i = number.lastIndex;
  };

  try {
    readValue([]);
    skipSpace();
    if (i < text.length) stop();
  } catch (error) {
    if (!(error instanceof SyntaxStop)) throw error;
    scan.errorOffset = error.offset;
  }
  return scan;
}
