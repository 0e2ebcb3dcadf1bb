// The byte-size value type: a count of bytes, plainly or with a K/M/G suffix (powers of 1024), e.g. "64M", "512KiB", 0.
import { defineValueType, ok, refuse } from '../value-type.ts';

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

export const byteSizeType = defineValueType<number>({
  expected: 'a size in bytes such as 65536, "512K" or "64M"',
  label: 'bytes (K, M, G suffixes)',
  json: {
    anyOf: [
      { type: 'integer', minimum: 0 },
      { type: 'string', pattern: '^\\s*[0-9]+(\\.[0-9]+)?\\s*([kKmMgG]([iI]?[bB])?|[bB])?\\s*$' },
    ],
  },
  parse(raw) {
    if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? ok(raw) : refuse();
    if (typeof raw !== 'string') return refuse();
    const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
    const unit = match === null ? undefined : UNITS[match[2]!.toLowerCase()];
    if (match === null || unit === undefined) return refuse();
    const bytes = Math.round(Number(match[1]) * unit);
    return Number.isSafeInteger(bytes) ? ok(bytes) : refuse();
  },
});
