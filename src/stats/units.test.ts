// Tests the short forms both views print: bytes, durations and latencies.
import { expect, test } from 'vitest';
import { formatBytes, formatDuration, formatMs } from './units.ts';

test('formatBytes', () => {
  expect(formatBytes(512)).toBe('512 B');
  expect(formatBytes(1536)).toBe('1.5 KiB');
  expect(formatBytes(83.2 * 1024 * 1024)).toBe('83.2 MiB');
  expect(formatBytes(1.2 * 1024 ** 3)).toBe('1.20 GiB');
  expect(formatBytes(-1)).toBe('-');
});

test('formatDuration', () => {
  expect(formatDuration(45.9)).toBe('45s');
  expect(formatDuration(725)).toBe('12m05s');
  expect(formatDuration(3 * 3600 + 7 * 60 + 59)).toBe('3h07m');
  expect(formatDuration(2 * 86400 + 4 * 3600)).toBe('2d04h');
  expect(formatDuration(Number.NaN)).toBe('-');
});

test('formatMs', () => {
  expect(formatMs(null)).toBe('-');
  expect(formatMs(0.423)).toBe('0.42ms');
  expect(formatMs(3.44)).toBe('3.4ms');
  expect(formatMs(245.4)).toBe('245ms');
  expect(formatMs(1250)).toBe('1.25s');
});
