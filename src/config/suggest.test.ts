// Tests did-you-mean: typos, swaps and case get a suggestion; unrelated names do not.
import { expect, test } from 'vitest';
import { closestName, didYouMean } from './suggest.ts';

const names = [
  'http',
  'static-map',
  'module',
  'processes',
  'workers',
  'master',
  'chdir',
  'env',
  'graceful-timeout',
  'vacuum',
];

test.each([
  ['proceses', 'processes'],
  ['procsses', 'processes'],
  ['prcoesses', 'processes'],
  ['staticmap', 'static-map'],
  ['Master', 'master'],
  ['graceful_timeout', 'graceful-timeout'],
  ['htp', 'http'],
])('%s → %s', (typo, expected) => {
  expect(closestName(typo, names)).toBe(expected);
});

test('unrelated names get no suggestion', () => {
  expect(closestName('buffer-size', names)).toBeUndefined();
  expect(didYouMean('xyz', names)).toBe('');
  expect(didYouMean('vacum', names)).toBe(' (did you mean "vacuum"?)');
});
