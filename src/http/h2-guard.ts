// corral's limits on what one HTTP/2 client may do: the SETTINGS it is sent, and its session closed with GOAWAY (ENHANCE_YOUR_CALM) on a rapid reset or a PING/SETTINGS flood.
import { constants, type Http2Session, type ServerHttp2Session, type Settings } from 'node:http2';
import type { Http2Limits } from '../config/types.ts';
import type { RefusalKind, RefusalLog } from './refusal-log.ts';

/** The session state of the checks, kept on the session itself and on each of its responses (see h2-headers.ts). */
export const GUARD = Symbol('corral.http2Guard');

export interface SessionGuard {
  session: ServerHttp2Session;
  limits: Http2Limits;
  log: RefusalLog;
  /** Refuses the client's address for a while (abuse-ban), once its session is closed. */
  ban: ((address: string | undefined) => void) | undefined;
  /** Resets still allowed: spent by a stream the client cancels, earned back by one that finishes. */
  resetBudget: number;
  resets: number;
  finished: number;
  /** Control frames (PING, SETTINGS) still allowed, refilled with time; `refilledAt` is performance.now(). */
  controlTokens: number;
  refilledAt: number;
  controlFrames: number;
  /** Set once the session is closed by a check: it is logged once. */
  closed: boolean;
}

/**
 * The settings corral's HTTP/2 servers send. Node's defaults let a client open 2^32-1 streams at once (nghttp2's
 * own default); a client that opens more than the limit after it acknowledged it gets a connection error from
 * nghttp2 (GOAWAY PROTOCOL_ERROR), and streams it opened before it knew the limit are refused (REFUSED_STREAM).
 * A header list past maxHeaderListSize resets its stream (ENHANCE_YOUR_CALM) before any of it reaches JavaScript.
 */
export function http2Settings(limits: Http2Limits): Settings {
  const settings: Settings = {};
  if (limits.maxConcurrentStreams > 0) settings.maxConcurrentStreams = limits.maxConcurrentStreams;
  // nghttp2 takes at most 64 KiB - 1 (larger lists end the connection with COMPRESSION_ERROR all the same).
  if (limits.maxHeaderListSize > 0) settings.maxHeaderListSize = Math.min(limits.maxHeaderListSize, 65_535);
  return settings;
}

type Guarded = ServerHttp2Session & { [GUARD]?: SessionGuard };

/** Sets up the checks of a new session: its control frames here, its streams as their responses close. */
export function guardSession(
  session: ServerHttp2Session,
  limits: Http2Limits,
  log: RefusalLog,
  ban?: (address: string | undefined) => void,
): void {
  if (limits.maxResets === 0 && limits.maxControlFrames === 0) return;
  const guard: SessionGuard = {
    session,
    limits,
    log,
    ban,
    resetBudget: limits.maxResets,
    resets: 0,
    finished: 0,
    controlTokens: limits.maxControlFrames,
    refilledAt: performance.now(),
    controlFrames: 0,
    closed: false,
  };
  if (limits.maxResets > 0) (session as Guarded)[GUARD] = guard;
  if (limits.maxControlFrames > 0) {
    // Node calls into JavaScript for a received PING or SETTINGS only while the session has a listener for it.
    session.on('ping', () => controlFrame(guard, 'PING'));
    session.on('remoteSettings', () => controlFrame(guard, 'SETTINGS'));
  }
}

/** The guard of the session a new response's stream belongs to (read once, at the response's construction). */
export function guardOf(session: Http2Session | undefined): SessionGuard | undefined {
  return (session as Partial<Guarded> | undefined)?.[GUARD];
}

/**
 * A stream of a guarded session closed. `reset`: it ended with an RST_STREAM (the client cancelled it) or before its
 * response was complete. A client that keeps cancelling what it asks for (CVE-2023-44487) runs out of budget.
 */
export function streamClosed(guard: SessionGuard, reset: boolean): void {
  if (reset) {
    guard.resets++;
    if (--guard.resetBudget < 0)
      calm(guard, 'http2-max-resets', {
        resets: guard.resets,
        finished: guard.finished,
        http2MaxResets: guard.limits.maxResets,
      });
  } else {
    guard.finished++;
    if (guard.resetBudget < guard.limits.maxResets) guard.resetBudget++;
  }
}

function controlFrame(guard: SessionGuard, frame: 'PING' | 'SETTINGS'): void {
  guard.controlFrames++;
  const max = guard.limits.maxControlFrames;
  const now = performance.now();
  // A tenth of the burst per second: 10 frames a second with the default burst of 100.
  guard.controlTokens = Math.min(max, guard.controlTokens + ((now - guard.refilledAt) * max) / 10_000);
  guard.refilledAt = now;
  if (--guard.controlTokens < 0)
    calm(guard, frame === 'PING' ? 'http2-ping-flood' : 'http2-settings-flood', {
      frames: guard.controlFrames,
      http2MaxControlFrames: max,
    });
}

/**
 * Ends the session: GOAWAY with ENHANCE_YOUR_CALM (what nghttp2 and nginx send a client that does too much), then the
 * connection closes; the streams it still had open are cancelled. Told in the refusal log (one line per kind per 10 s). A client
 * that is still sending when the socket closes may not read the GOAWAY: the kernel answers its data with a TCP reset.
 */
function calm(guard: SessionGuard, kind: RefusalKind, detail: Record<string, unknown>): void {
  if (guard.closed) return;
  guard.closed = true;
  const { session } = guard;
  const address = session.socket?.remoteAddress;
  guard.log.refused(kind, address, detail);
  // Its next connections are refused at accept for a while: an attacker that reconnects at once no longer costs a TLS
  // handshake and a new budget of streams each time.
  guard.ban?.(address);
  if (session.destroyed) return;
  // With an error, destroy sends the code given in its GOAWAY; the error goes to the server's 'sessionError' event.
  session.destroy(new Error(`HTTP/2 client past ${kind}`), constants.NGHTTP2_ENHANCE_YOUR_CALM);
}
