// Reads uWSGI-dialect INI: settings under [corral] or [uwsgi], `key = value` lines, repeated keys build lists, full-line ; and # comments.
import { ReadResultBuilder, type ReadContext, type ReadResult } from './read-result.ts';

const sectionsRead = new Set(['corral', 'uwsgi']);

export function readIni(text: string, context: ReadContext): ReadResult {
  const out = new ReadResultBuilder(context);
  let section: string | undefined;
  let sawOurSection = false;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const text = raw.trim();
    if (text === '' || text.startsWith(';') || text.startsWith('#')) return;
    const header = /^\[([^\]]*)\]$/.exec(text);
    if (header) {
      section = header[1]!.trim();
      if (sectionsRead.has(section)) sawOurSection = true;
      else out.warn(line, `ignoring section [${section}]: corral reads only [corral] and [uwsgi]`);
      return;
    }
    const equals = text.indexOf('=');
    if (equals < 0 || text.startsWith('[')) {
      out.error(line, `expected "key = value" or a [section] header, got ${JSON.stringify(text)}`);
      return;
    }
    const key = text.slice(0, equals).trim();
    if (key === '') {
      out.error(line, `expected "key = value", got ${JSON.stringify(text)}: the key is missing`);
      return;
    }
    if (section === undefined) {
      out.error(line, `"${key}" is outside any section: put settings under [corral] (or [uwsgi])`);
      return;
    }
    if (sectionsRead.has(section)) out.add(key, text.slice(equals + 1).trim(), line);
  });
  if (!sawOurSection && out.result.errors.length === 0) out.error(undefined, 'no [corral] or [uwsgi] section found');
  return out.result;
}
