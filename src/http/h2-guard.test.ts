// Tests the HTTP/2 checks on fake sessions: the settings sent, the reset budget, the PING/SETTINGS bucket, and the log that counts closings instead of flooding.
import { EventEmitter } from 'node:events';
import { constants, type ServerHttp2Session } from 'node:http2';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Http2Limits } from '../config/types.ts';
import { guardOf, guardSession, http2Settings, streamClosed } from './h2-guard.ts';
import type { RefusalKind, RefusalLog } from './refusal-log.ts';

const limits = (over: Partial<Http2Limits> = {}): Http2Limits => ({
  maxConcurrentStreams: 128,
  maxHeaderListSize: 32_768,
  maxResets: 10,
  maxControlFrames: 20,
  ...over,
});

function fakeSession() {
  const session = Object.assign(new EventEmitter(), {
    destroyed: false,
    socket: { remoteAddress: '192.0.2.7' },
    destroy: vi.fn((_err?: Error, _code?: number) => {
      session.destroyed = true;
    }),
  });
  return session;
}

function recordingLog() {
  const closings: Array<{ kind: RefusalKind; peer: string | undefined; detail: Record<string, unknown> | undefined }> =
    [];
  const log: RefusalLog = { refused: (kind, peer, detail) => void closings.push({ kind, peer, detail }) };
  return { log, closings };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('http2Settings', () => {
  test('sends the limits; 0 leaves a setting to Node', () => {
    expect(http2Settings(limits())).toEqual({ maxConcurrentStreams: 128, maxHeaderListSize: 32_768 });
    expect(http2Settings(limits({ maxConcurrentStreams: 0, maxHeaderListSize: 0 }))).toEqual({});
  });

  test('caps the header list size at what nghttp2 takes', () => {
    expect(http2Settings(limits({ maxHeaderListSize: 1024 * 1024 })).maxHeaderListSize).toBe(65_535);
  });
});

describe('rapid reset', () => {
  test('closes the session with ENHANCE_YOUR_CALM once resets pass the budget, and tells it once', () => {
    const session = fakeSession();
    const { log, closings } = recordingLog();
    guardSession(session as unknown as ServerHttp2Session, limits(), log);
    const guard = guardOf(session as unknown as ServerHttp2Session)!;
    for (let i = 0; i < 10; i++) streamClosed(guard, true);
    expect(session.destroy).not.toHaveBeenCalled();
    streamClosed(guard, true);
    expect(session.destroy).toHaveBeenCalledTimes(1);
    expect(session.destroy.mock.calls[0]![1]).toBe(constants.NGHTTP2_ENHANCE_YOUR_CALM);
    // The streams closed by the destroy itself are not a second closing.
    for (let i = 0; i < 5; i++) streamClosed(guard, true);
    expect(session.destroy).toHaveBeenCalledTimes(1);
    expect(closings).toEqual([
      { kind: 'http2-max-resets', peer: '192.0.2.7', detail: { resets: 11, finished: 0, http2MaxResets: 10 } },
    ]);
  });

  test('a finished stream earns a reset back, up to the budget', () => {
    const session = fakeSession();
    guardSession(session as unknown as ServerHttp2Session, limits(), recordingLog().log);
    const guard = guardOf(session as unknown as ServerHttp2Session)!;
    // Many finished streams first do not save up more than the budget.
    for (let i = 0; i < 100; i++) streamClosed(guard, false);
    for (let i = 0; i < 1000; i++) {
      streamClosed(guard, true);
      streamClosed(guard, false);
    }
    for (let i = 0; i < 10; i++) streamClosed(guard, true);
    expect(session.destroy).not.toHaveBeenCalled();
    streamClosed(guard, true);
    expect(session.destroy).toHaveBeenCalledTimes(1);
  });

  test('http2-max-resets 0: no guard on the session', () => {
    const session = fakeSession();
    guardSession(session as unknown as ServerHttp2Session, limits({ maxResets: 0 }), recordingLog().log);
    expect(guardOf(session as unknown as ServerHttp2Session)).toBeUndefined();
  });
});

describe('PING and SETTINGS floods', () => {
  test('a burst past the limit closes the session; frames spread out do not', () => {
    vi.useFakeTimers();
    const session = fakeSession();
    const { log, closings } = recordingLog();
    guardSession(session as unknown as ServerHttp2Session, limits(), log);
    // 20 at once, then 2 a second (a tenth of 20) for a minute: within the budget.
    for (let i = 0; i < 20; i++) session.emit('ping');
    for (let second = 0; second < 60; second++) {
      vi.advanceTimersByTime(1000);
      session.emit('ping');
      session.emit('remoteSettings');
    }
    expect(session.destroy).not.toHaveBeenCalled();
    // Then a flood: closed at the first frame past the tokens.
    for (let i = 0; i < 5; i++) session.emit('ping');
    expect(session.destroy).toHaveBeenCalledTimes(1);
    expect(session.destroy.mock.calls[0]![1]).toBe(constants.NGHTTP2_ENHANCE_YOUR_CALM);
    expect(closings.map((c) => c.kind)).toEqual(['http2-ping-flood']);
    expect(closings[0]!.detail?.http2MaxControlFrames).toBe(20);
  });

  test('http2-max-control-frames 0: no listener', () => {
    const session = fakeSession();
    guardSession(session as unknown as ServerHttp2Session, limits({ maxControlFrames: 0 }), recordingLog().log);
    expect(session.listenerCount('ping')).toBe(0);
    expect(session.listenerCount('remoteSettings')).toBe(0);
  });
});
