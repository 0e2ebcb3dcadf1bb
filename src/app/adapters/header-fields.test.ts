// Plain-object response headers: checked and merged as undici's Headers would, and names an ordinary object already has left to Headers.
import { describe, expect, it } from 'vitest';
import { plainFields, toHeaders } from './header-fields.ts';

describe('plainFields', () => {
  it('lower-cases, merges and trims as Headers does', () => {
    const init = { 'Content-Type': ' text/plain ', 'X-A': '1', 'x-a': '2', 'Set-Cookie': 'a=1' };
    const fields = plainFields(init);
    expect(fields).toEqual({ 'content-type': 'text/plain', 'x-a': '1, 2', 'set-cookie': ['a=1'] });
    const real = new Headers(init);
    expect([...toHeaders(fields!)]).toEqual([...real]);
  });

  it('refuses what undici refuses', () => {
    expect(() => plainFields({ 'bad name': 'x' })).toThrow(TypeError);
    expect(() => plainFields({ 'x-a': 'one\ntwo' })).toThrow(TypeError);
  });

  it('leaves to Headers a name an ordinary object already has, and anything not a plain string record', () => {
    expect(plainFields({ constructor: 'x' } as unknown as HeadersInit)).toBeUndefined();
    expect(plainFields(JSON.parse('{"__proto__":"x"}') as HeadersInit)).toBeUndefined();
    expect(plainFields({ CONSTRUCTOR: 'x' })).toBeUndefined();
    expect(plainFields(new Headers({ a: '1' }))).toBeUndefined();
    expect(plainFields([['a', '1']])).toBeUndefined();
  });
});
