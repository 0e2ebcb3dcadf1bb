// Tests sparklinePath: the path through a series, scaled from zero to its maximum, ending at the right edge, broken at gaps.
import { expect, test } from 'vitest';
import { sparklinePath } from './sparkline.ts';

test('a full series spans the box: the maximum at the top, zero at the bottom', () => {
  expect(sparklinePath([0, 5, 10], 100, 20)).toBe('M0 20 L50 10 L100 0');
});

test('a young series ends at the right edge of its slots', () => {
  expect(sparklinePath([2, 4], 60, 10, 61)).toBe('M59 5 L60 0');
});

test('a null breaks the line and the next sample starts a new one', () => {
  expect(sparklinePath([1, null, 1, 2], 30, 10)).toBe('M0 5 M20 5 L30 0');
});

test('all zeros lie on the bottom; nothing gives an empty path', () => {
  expect(sparklinePath([0, 0], 10, 8)).toBe('M0 8 L10 8');
  expect(sparklinePath([], 10, 8, 60)).toBe('');
  expect(sparklinePath([null, null], 10, 8)).toBe('');
});

test('coordinates are rounded to a tenth', () => {
  expect(sparklinePath([1, 3, 2], 10, 7)).toBe('M0 4.7 L5 0 L10 2.3');
});
