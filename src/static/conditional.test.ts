// Checks the precondition order of RFC 9110 and the strong/weak ETag comparisons, without a server.
import { describe, expect, it } from 'vitest';
import { evaluatePreconditions, listMatches } from './conditional.ts';

const validators = { etag: '"a-1"', lastModifiedMs: Date.UTC(2025, 0, 1) };
const at = (offsetMs: number) => new Date(validators.lastModifiedMs + offsetMs).toUTCString();

describe('evaluatePreconditions', () => {
  it.each([
    [{}, 'proceed'],
    [{ 'if-none-match': '"a-1"' }, 'not-modified'],
    [{ 'if-none-match': 'W/"a-1"' }, 'not-modified'],
    [{ 'if-none-match': '"b", "a-1"' }, 'not-modified'],
    [{ 'if-none-match': '"b"' }, 'proceed'],
    [{ 'if-modified-since': at(0) }, 'not-modified'],
    [{ 'if-modified-since': at(-1000) }, 'proceed'],
    [{ 'if-modified-since': 'garbage' }, 'proceed'],
    [{ 'if-none-match': '"b"', 'if-modified-since': at(1000) }, 'proceed'],
    [{ 'if-match': '"b"' }, 'failed'],
    [{ 'if-match': '"a-1"' }, 'proceed'],
    [{ 'if-match': 'W/"a-1"' }, 'failed'],
    [{ 'if-match': '*' }, 'proceed'],
    [{ 'if-unmodified-since': at(-1000) }, 'failed'],
    [{ 'if-unmodified-since': at(0) }, 'proceed'],
    [{ 'if-match': '"a-1"', 'if-unmodified-since': at(-1000) }, 'proceed'],
    [{ 'if-match': '"a-1"', 'if-none-match': '"a-1"' }, 'not-modified'],
  ])('%j -> %s', (headers, expected) => {
    expect(evaluatePreconditions(headers, validators)).toBe(expected);
  });
});

describe('listMatches', () => {
  it('compares strongly or weakly', () => {
    expect(listMatches('W/"x"', '"x"', false)).toBe(true);
    expect(listMatches('W/"x"', '"x"', true)).toBe(false);
    expect(listMatches(' * ', '"x"', true)).toBe(true);
    expect(listMatches('"y" ,"x"', '"x"', true)).toBe(true);
  });
});
