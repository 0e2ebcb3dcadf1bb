import { expect, it } from 'vitest';
import { requestIdSource } from './request-id.ts';

it('numbers requests from 1 in base 36 after the prefix, across every carry', () => {
  const next = requestIdSource('w2');
  for (let n = 1; n <= 36 ** 3 + 100; n++) {
    const id = next();
    if (id !== `w2-${n.toString(36)}`) expect(id).toBe(`w2-${n.toString(36)}`);
  }
});
