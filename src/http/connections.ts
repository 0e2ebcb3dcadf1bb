// The open connections of a front end: which are busy, since when the others are idle, and closing idle ones after a grace when draining.
import type { Socket } from 'node:net';

interface ConnectionState {
  /** Requests of this connection in flight (node:http answers one at a time; pipelined ones wait in line). */
  busy: number;
  /** performance.now() when its last request ended, or when it was accepted. */
  idleSince: number;
}

export interface Connections {
  add(socket: Socket): void;
  requestStarted(socket: Socket): void;
  requestEnded(socket: Socket): void;
  /** From now on, a connection idle for the grace is closed (checked every 100 ms). */
  closeWhenIdle(): void;
  /** Resolves once closeWhenIdle was called and no connection is left. */
  allClosed(): Promise<void>;
  /** The socket was upgraded (a WebSocket): it is the app's now, no longer an HTTP connection to drain. */
  upgraded(socket: Socket): void;
  /** Ends every upgraded socket still open, destroys those still open a second later, and resolves once all are gone. */
  closeUpgraded(): Promise<void>;
}

/** How long an upgraded socket gets to finish its closing handshake once corral ends it. */
const UPGRADED_END_MS = 1000;

const SWEEP_MS = 100;

export function trackConnections(idleGraceMs: number): Connections {
  const open = new Map<Socket, ConnectionState>();
  const upgradedSockets = new Set<Socket>();
  let sweeper: NodeJS.Timeout | undefined;
  let closing = false;
  let noneLeft: () => void = () => {};
  const allGone = new Promise<void>((resolve) => (noneLeft = resolve));

  const finish = () => {
    if (!closing || open.size > 0) return;
    clearInterval(sweeper);
    noneLeft();
  };
  const sweep = () => {
    const now = performance.now();
    for (const [socket, state] of open) if (state.busy === 0 && now - state.idleSince >= idleGraceMs) socket.destroy();
  };

  return {
    add(socket) {
      open.set(socket, { busy: 0, idleSince: performance.now() });
      socket.once('close', () => {
        open.delete(socket);
        finish();
      });
    },
    requestStarted(socket) {
      const state = open.get(socket);
      if (state !== undefined) state.busy++;
    },
    requestEnded(socket) {
      const state = open.get(socket);
      if (state === undefined) return;
      state.busy = Math.max(0, state.busy - 1);
      state.idleSince = performance.now();
    },
    closeWhenIdle() {
      if (closing) return;
      closing = true;
      sweeper = setInterval(sweep, SWEEP_MS);
      finish();
    },
    allClosed: () => allGone,
    upgraded(socket) {
      open.delete(socket);
      upgradedSockets.add(socket);
      socket.once('close', () => upgradedSockets.delete(socket));
      finish();
    },
    async closeUpgraded() {
      const closing = [...upgradedSockets].map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.destroyed) return resolve();
            socket.once('close', () => resolve());
            socket.end();
            setTimeout(() => socket.destroy(), UPGRADED_END_MS).unref();
          }),
      );
      await Promise.all(closing);
    },
  };
}
