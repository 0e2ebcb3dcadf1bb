// The `log-format` value type: how access lines are written, "json" (corral's own line) or "combined" (the combined log format of nginx and Apache).
import { defineValueType, ok, refuse } from '../value-type.ts';

export type LogFormat = 'json' | 'combined';

const formats: readonly LogFormat[] = ['json', 'combined'];

export const logFormatType = defineValueType<LogFormat>({
  expected: `one of ${formats.map((format) => `"${format}"`).join(', ')}`,
  label: formats.join(' | '),
  json: { enum: formats },
  parse(raw) {
    if (typeof raw !== 'string') return refuse();
    const text = raw.trim().toLowerCase();
    return (formats as readonly string[]).includes(text) ? ok(text as LogFormat) : refuse();
  },
});
