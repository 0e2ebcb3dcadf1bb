// Reads a JSON config: JSON.parse gives the values, a light scan gives key lines, duplicate keys and the line of a syntax error.
import { ReadResultBuilder, type ReadContext, type ReadResult } from './read-result.ts';
import { addTopLevel, type MappingEntry } from './sections.ts';
import { lineOf, pathKey, scanJson, type JsonScan } from './json-scan.ts';

/** V8 tells where as "at position N" and sometimes quotes the whole input; file:line already says where. */
function plainMessage(message: string): string {
  return message.replace(/ in JSON at position \d+.*$/s, '').replace(/, .*is not valid JSON$/s, '');
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function readJson(text: string, context: ReadContext): ReadResult {
  const out = new ReadResultBuilder(context);
  const source = text.replace(/^\uFEFF/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : (scanJson(source).errorOffset ?? source.length);
    out.error(lineOf(source, offset), plainMessage(message));
    return out.result;
  }
  const scan = scanJson(source);
  for (const duplicate of scan.duplicates)
    out.error(duplicate.line, `"${duplicate.key}" is given twice (first on line ${duplicate.firstLine})`);
  if (!isMapping(parsed)) {
    out.error(1, 'expected a JSON object of settings at the top level');
    return out.result;
  }
  addTopLevel(
    Object.entries(parsed).map(([key, value]) => entryOf([key], value, scan)),
    out,
  );
  return out.result;
}

function entryOf(path: string[], value: unknown, scan: JsonScan): MappingEntry {
  return {
    key: path[path.length - 1]!,
    value,
    line: scan.keyLines.get(pathKey(path)),
    itemLines: scan.itemLines.get(pathKey(path)),
    children:
      path.length === 1 && isMapping(value)
        ? Object.entries(value).map(([key, inner]) => entryOf([...path, key], inner, scan))
        : undefined,
  };
}
