// Reads a YAML config with the yaml package's Document API, keeping the line of every key and list item.
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Pair, type YAMLMap } from 'yaml';
import { ReadResultBuilder, type ReadContext, type ReadResult } from './read-result.ts';
import { addTopLevel, type MappingEntry } from './sections.ts';

/** The yaml package appends " at line L, column C:" and a code excerpt to its messages; file:line already says where. */
function plainMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

export function readYaml(text: string, context: ReadContext): ReadResult {
  const out = new ReadResultBuilder(context);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const key = /^[^:\n]*/.exec(text.slice(error.pos[0]))![0].trim();
      const message =
        error.code === 'DUPLICATE_KEY'
          ? `"${key}" is given twice; give each setting once (a YAML list holds several values)`
          : plainMessage(error.message);
      out.error(error.linePos?.[0].line, message);
    }
    return out.result;
  }
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : counter.linePos(offset).line);
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return out.result;
  if (!isMap(root)) {
    out.error(lineAt(root.range?.[0]), 'expected a mapping of settings ("key: value" lines) at the top level');
    return out.result;
  }
  addTopLevel(entriesOf(root, doc, lineAt, true, out), out);
  return out.result;
}

function entriesOf(
  map: YAMLMap,
  doc: Document,
  lineAt: (offset: number | undefined) => number | undefined,
  withChildren: boolean,
  out: ReadResultBuilder,
): MappingEntry[] {
  const entries: MappingEntry[] = [];
  for (const pair of map.items as Pair[]) {
    const keyLine = isScalar(pair.key) ? lineAt(pair.key.range?.[0]) : undefined;
    if (!isScalar(pair.key) || pair.key.value === null || typeof pair.key.value === 'object') {
      out.error(keyLine, 'expected a plain key (a setting name)');
      continue;
    }
    const node = pair.value;
    let itemLines: (number | undefined)[] | undefined;
    if (isSeq(node))
      itemLines = node.items.map((item) => lineAt((item as { range?: [number, number, number] } | null)?.range?.[0]));
    if (isMap(node))
      itemLines = (node.items as Pair[]).map((item) =>
        lineAt((item.key as { range?: [number, number, number] } | null)?.range?.[0]),
      );
    entries.push({
      key: String(pair.key.value),
      value: node === null || node === undefined ? null : (node as { toJS(doc: Document): unknown }).toJS(doc),
      line: keyLine,
      itemLines,
      children: withChildren && isMap(node) ? entriesOf(node, doc, lineAt, false, out) : undefined,
    });
  }
  return entries;
}
