// The light request Headers against undici's own on the same raw header lists: the same answers, and the real one made only when needed.
import { describe, expect, it } from 'vitest';
import { headerPairs } from './fetch-request.ts';
import { defineLightHeaders } from './light-headers.ts';

const { create, madeOf } = defineLightHeaders(Headers);

const RAW = [
  'Host',
  'example.test',
  'User-Agent',
  'wrk-echo',
  'Accept',
  'text/html',
  'accept',
  ' application/json ',
  'Cookie',
  'a=1',
  'cookie',
  'b=2',
  'X-Empty',
  '',
  'Set-Cookie',
  'c=3',
  'set-cookie',
  'd=4',
];
const NAMES = ['host', 'HOST', 'User-agent', 'accept', 'cookie', 'x-empty', 'set-cookie', 'absent', 'content-length'];

describe('light request headers', () => {
  it('answers get() and has() as undici does, without making the real Headers', () => {
    const light = create(RAW);
    const real = new Headers(headerPairs(RAW));
    for (const name of NAMES) {
      expect(light.get(name), name).toBe(real.get(name));
      expect(light.has(name), name).toBe(real.has(name));
    }
    expect(madeOf(light)).toBeUndefined();
  });

  it('is a Headers, and refuses a name that is no token as undici does', () => {
    const light = create(RAW);
    expect(light instanceof Headers).toBe(true);
    expect(Object.prototype.toString.call(light)).toBe('[object Headers]');
    expect(() => light.get('bad name')).toThrow(TypeError);
    expect(() => new Headers().get('bad name')).toThrow(TypeError);
  });

  it('leaves HTTP/2 pseudo-headers out', () => {
    const light = create([':method', 'GET', ':path', '/', 'accept', '*/*']);
    expect(light.get('accept')).toBe('*/*');
    expect(() => light.get(':path')).toThrow(TypeError);
    expect([...light]).toEqual([['accept', '*/*']]);
  });

  it('makes the real Headers for anything else, and answers from it from then on', () => {
    const light = create(RAW);
    expect([...light.keys()]).toEqual([...new Headers(headerPairs(RAW)).keys()]);
    expect(light.getSetCookie()).toEqual(['c=3', 'd=4']);
    light.set('x-added', 'yes');
    light.delete('user-agent');
    expect(light.get('x-added')).toBe('yes');
    expect(light.has('user-agent')).toBe(false);
    expect(madeOf(light)?.get('x-added')).toBe('yes');
    // A Headers made from it (as the real Request is) takes its current fields.
    expect(new Headers(light).get('x-added')).toBe('yes');
  });
});
