import type { ServerResponse } from 'node:http';
import { expect, it } from 'vitest';
import { InFlightList } from './in-flight.ts';

const response = () => ({}) as ServerResponse;

it('keeps the responses in start order and gives back the record of the one removed', () => {
  const list = new InFlightList<string>();
  const [a, b, c] = [response(), response(), response()];
  list.add(a, 'a');
  list.add(b, 'b');
  list.add(c, 'c');
  expect(list.delete(b)).toBe('b');
  expect(list.delete(b)).toBeUndefined();
  expect([...list].map(([, record]) => record)).toEqual(['a', 'c']);
  expect(list.size).toBe(2);
  list.delete(a);
  list.delete(c);
  expect([...list]).toEqual([]);
  expect(list.size).toBe(0);
  list.add(b, 'b again');
  expect([...list].map(([res, record]) => [res, record])).toEqual([[b, 'b again']]);
});

it('an iteration goes on past the entry removed under it and skips the ones removed ahead of it', () => {
  const list = new InFlightList<number>();
  const responses = [0, 1, 2, 3].map(() => response());
  for (const [i, res] of responses.entries()) list.add(res, i);
  const seen: number[] = [];
  for (const [res, record] of list) {
    seen.push(record);
    if (record === 0) {
      list.delete(res);
      list.delete(responses[1] as ServerResponse);
    }
  }
  expect(seen).toEqual([0, 2, 3]);
  expect([...list].map(([, record]) => record)).toEqual([2, 3]);
});
