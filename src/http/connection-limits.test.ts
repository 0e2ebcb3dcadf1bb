// Tests the per-worker connection caps' ban (abuse-ban): a banned address is closed at accept until its time is up; trusted ones are never banned.
import { EventEmitter } from 'node:events';
import type { Server, Socket } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { connectionGuard } from './connection-limits.ts';
import type { RefusalKind } from './refusal-log.ts';

function setup(banMs: number) {
  const refused: Array<[RefusalKind, string | undefined]> = [];
  const guard = connectionGuard(
    { connections: 0, connectionsPerIp: 0, banMs, exempt: (address) => address === '10.0.0.1' },
    { refused: (kind, peer) => void refused.push([kind, peer]) },
  );
  const server = new EventEmitter() as unknown as Server;
  guard.protect(server);
  const connect = (remoteAddress: string) => {
    const socket = Object.assign(new EventEmitter(), { remoteAddress, destroyed: false, destroy: vi.fn() });
    server.emit('connection', socket as unknown as Socket);
    return socket.destroy.mock.calls.length > 0;
  };
  return { guard, server, connect, refused };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('abuse-ban', () => {
  test("a banned address's connections are closed at accept until the ban is over", () => {
    vi.useFakeTimers();
    const { guard, connect, refused } = setup(10_000);
    expect(connect('192.0.2.1')).toBe(false);
    guard.ban('192.0.2.1');
    expect(connect('192.0.2.1')).toBe(true);
    expect(connect('192.0.2.2')).toBe(false);
    vi.advanceTimersByTime(10_001);
    expect(connect('192.0.2.1')).toBe(false);
    expect(refused).toEqual([['abuse-ban', '192.0.2.1']]);
  });

  test('a trusted proxy is never banned (it carries every client behind it), nor anyone with abuse-ban 0', () => {
    const trusted = setup(10_000);
    trusted.guard.ban('10.0.0.1');
    expect(trusted.connect('10.0.0.1')).toBe(false);
    const off = setup(0);
    off.guard.ban('192.0.2.1');
    expect(off.connect('192.0.2.1')).toBe(false);
    expect(off.server.listenerCount('connection')).toBe(0);
  });
});
