import { describe, expect, it } from 'vitest';
import { takeSystemdEnv } from './systemd-env.ts';

describe('takeSystemdEnv', () => {
  it('takes NOTIFY_SOCKET and the activated descriptors meant for this pid, and removes them all', () => {
    const env: NodeJS.ProcessEnv = {
      NOTIFY_SOCKET: '@/org/freedesktop/systemd1/notify/1',
      LISTEN_FDS: '2',
      LISTEN_PID: '42',
      LISTEN_FDNAMES: 'web:admin',
      PATH: '/bin',
    };
    expect(takeSystemdEnv(env, 42)).toEqual({
      notifySocket: '@/org/freedesktop/systemd1/notify/1',
      activated: { fds: [3, 4], names: ['web', 'admin'] },
    });
    expect(env).toEqual({ PATH: '/bin' });
  });

  it('ignores (and still removes) LISTEN_FDS meant for another process or malformed', () => {
    const other: NodeJS.ProcessEnv = { LISTEN_FDS: '1', LISTEN_PID: '7' };
    expect(takeSystemdEnv(other, 42)).toEqual({});
    expect(other).toEqual({});
    expect(takeSystemdEnv({ LISTEN_FDS: 'x', LISTEN_PID: '42' }, 42)).toEqual({});
    expect(takeSystemdEnv({ LISTEN_FDS: '0', LISTEN_PID: '42' }, 42)).toEqual({});
  });

  it('has nothing outside systemd', () => {
    expect(takeSystemdEnv({ NOTIFY_SOCKET: '' }, 1)).toEqual({});
  });
});
