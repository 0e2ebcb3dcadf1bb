import { describe, expect, it } from 'vitest';
import { checkAccess, isLoopbackAddress } from './access.ts';

const TOKEN = '0123456789abcdef0123';
const request = (over: Partial<Parameters<typeof checkAccess>[0]> = {}) => ({
  peer: '127.0.0.1',
  host: '127.0.0.1:9191',
  authorization: undefined,
  queryToken: null,
  ...over,
});

describe('checkAccess', () => {
  it('lets loopback clients in, over TCP and a unix socket', () => {
    expect(checkAccess(request(), undefined).ok).toBe(true);
    expect(checkAccess(request({ peer: '::1', host: '[::1]:9191' }), undefined).ok).toBe(true);
    expect(checkAccess(request({ peer: '::ffff:127.0.0.1', host: 'localhost:9191' }), undefined).ok).toBe(true);
    expect(checkAccess(request({ peer: undefined, host: 'localhost' }), undefined).ok).toBe(true);
  });

  it('refuses other peers with 403 and says what to set, without a token', () => {
    const decision = checkAccess(request({ peer: '10.1.2.3' }), undefined);
    expect(decision).toMatchObject({ ok: false, status: 403 });
    expect(!decision.ok && decision.message).toContain('stats-token');
  });

  it('refuses a loopback peer that asked for another host (DNS rebinding)', () => {
    expect(checkAccess(request({ host: 'evil.example:9191' }), undefined)).toMatchObject({ ok: false, status: 403 });
  });

  it('with a token, lets others in only with it, as a bearer header or ?token=', () => {
    const remote = { peer: '10.1.2.3', host: 'stats.example.com' };
    expect(checkAccess(request(remote), TOKEN)).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess(request({ ...remote, authorization: 'Bearer wrong-token-000000' }), TOKEN).ok).toBe(false);
    expect(checkAccess(request({ ...remote, authorization: `Bearer ${TOKEN}` }), TOKEN).ok).toBe(true);
    expect(checkAccess(request({ ...remote, queryToken: TOKEN }), TOKEN).ok).toBe(true);
    expect(checkAccess(request(), TOKEN).ok).toBe(true);
  });

  it('knows loopback addresses', () => {
    expect(isLoopbackAddress('127.8.9.1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('128.0.0.1')).toBe(false);
    expect(isLoopbackAddress('::ffff:10.0.0.1')).toBe(false);
  });
});
