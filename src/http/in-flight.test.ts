import type { ServerResponse } from 'node:http';
import { expect, it } from 'vitest';
import { InFlightList, responseClosed, type InFlightNode } from './in-flight.ts';

interface Named extends InFlightNode {
  name: string | number;
}

const response = () => ({}) as ServerResponse;
const named = (name: string | number): Named => ({ name });
const names = (list: InFlightList<Named>) => [...list].map(([, record]) => record.name);

it('keeps the responses in start order and gives back the record of the one removed', () => {
  const list = new InFlightList<Named>();
  const [a, b, c] = [response(), response(), response()];
  list.add(a, named('a'));
  list.add(b, named('b'));
  list.add(c, named('c'));
  expect(list.delete(b)?.name).toBe('b');
  expect(list.delete(b)).toBeUndefined();
  expect(names(list)).toEqual(['a', 'c']);
  expect(list.size).toBe(2);
  list.delete(a);
  list.delete(c);
  expect([...list]).toEqual([]);
  expect(list.size).toBe(0);
  list.add(b, named('b again'));
  expect([...list].map(([res, record]) => [res, record.name])).toEqual([[b, 'b again']]);
});

it('an iteration goes on past the entry removed under it and skips the ones removed ahead of it', () => {
  const list = new InFlightList<Named>();
  const responses = [0, 1, 2, 3].map(() => response());
  for (const [i, res] of responses.entries()) list.add(res, named(i));
  const seen: Array<string | number> = [];
  for (const [res, record] of list) {
    seen.push(record.name);
    if (record.name === 0) {
      list.delete(res);
      list.delete(responses[1] as ServerResponse);
    }
  }
  expect(seen).toEqual([0, 2, 3]);
  expect(names(list)).toEqual([2, 3]);
});

it('tells its owner once when a response closes, and not at all about one deleted before', () => {
  const closed: Array<[ServerResponse, string | number]> = [];
  const list = new InFlightList<Named>((res, record) => closed.push([res, record.name]));
  const [a, b] = [response(), response()];
  list.add(a, named('a'));
  list.add(b, named('b'));
  list.delete(b);
  responseClosed(a);
  responseClosed(a);
  responseClosed(b);
  responseClosed(response());
  expect(closed).toEqual([[a, 'a']]);
  expect(list.size).toBe(0);
});
