// Tests the value types of the static settings: byte sizes, static-expires rules, index file names and static-fallback rules.
import { describe, expect, test } from 'vitest';
import { byteSizeType } from './byte-size.ts';
import { expiresRuleType } from './expires-rule.ts';
import { fallbackRuleType } from './fallback-rule.ts';
import { fileNameType } from './file-name.ts';

const message = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues[0]?.message;

describe('byte sizes', () => {
  test.each([
    [0, 0],
    [65536, 65536],
    ['65536', 65536],
    ['512K', 512 * 1024],
    ['512KiB', 512 * 1024],
    ['64M', 64 * 1024 * 1024],
    ['64 MB', 64 * 1024 * 1024],
    ['1.5m', 1.5 * 1024 * 1024],
    ['1G', 1024 ** 3],
  ])('%s', (raw, bytes) => {
    expect(byteSizeType.schema.parse(raw)).toBe(bytes);
  });
  test.each(['', '-1', 'lots', '12Q', -5, 1.5, true])('refuses %s', (raw) => {
    expect(message(byteSizeType.schema.safeParse(raw))).toMatch(/^expected a size in bytes/);
  });
});

describe('static-expires rules', () => {
  test('a pattern and seconds', () => {
    expect(expiresRuleType.schema.parse('\\.(js|css)$ 31536000')).toEqual({
      pattern: '\\.(js|css)$',
      seconds: 31536000,
    });
    expect(expiresRuleType.schema.parse('  /assets/ .* 60 ')).toEqual({ pattern: '/assets/ .*', seconds: 60 });
  });
  test('refuses a missing number and a broken pattern, saying why', () => {
    expect(message(expiresRuleType.schema.safeParse('\\.js$'))).toMatch(/a pattern, a space, then whole seconds/);
    expect(message(expiresRuleType.schema.safeParse('([a-z 60'))).toMatch(
      /^expected "REGEX SECONDS", got "\(\[a-z 60": Invalid regular expression/,
    );
  });
});

describe('index file names', () => {
  test.each(['index.html', 'default.htm', ' index.xhtml '])('%s', (raw) => {
    expect(fileNameType.schema.parse(raw)).toBe(raw.trim());
  });
  test.each(['', '.', '..', 'a/index.html', 'a\\b', 42])('refuses %s', (raw) => {
    expect(message(fileNameType.schema.safeParse(raw))).toMatch(/^expected a file name/);
  });
});

describe('static-fallback rules', () => {
  test('a prefix and a file, the prefix normalized', () => {
    expect(fallbackRuleType.schema.parse('/app/=dist/index.html')).toEqual({ prefix: '/app', file: 'dist/index.html' });
    expect(fallbackRuleType.schema.parse('/=index.html')).toEqual({ prefix: '/', file: 'index.html' });
  });
  test('refuses a prefix without "/" and a missing file', () => {
    expect(message(fallbackRuleType.schema.safeParse('app=index.html'))).toMatch(/the prefix must start with "\/"/);
    expect(message(fallbackRuleType.schema.safeParse('/app='))).toMatch(/the file is missing/);
  });
});
