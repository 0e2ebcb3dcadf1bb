// sd_notify without a library: the master tells systemd READY=1, RELOADING=1 and STOPPING=1 through systemd's own systemd-notify helper, one message at a time in order.
import { spawn } from 'node:child_process';
import type { Logger } from '../log/logger.ts';

/**
 * Sends one notification (lines of VAR=VALUE) to `socket`; resolves when it is delivered or has failed. The real one
 * runs systemd-notify (see SystemdNotifier); tests pass their own.
 */
export type NotifySender = (socket: string, lines: string[]) => Promise<void>;

/** How long one systemd-notify may take (it waits for systemd to have read the message) before it is abandoned. */
const NOTIFY_TIMEOUT_MS = 10_000;

/**
 * Node has no unix datagram socket (node:dgram is udp4/udp6 only; net connects SOCK_STREAM and gets ECONNREFUSED
 * from a datagram socket), so a short-lived `systemd-notify --pid=MAINPID VAR=VALUE...` sends each message: about
 * 7 ms, a few times per life of the master. The message then comes from a child of the main process: the unit needs
 * NotifyAccess=all (`corral systemd` writes it). --pid makes every message carry MAINPID=<the master>, and, when the
 * master runs as root, the master's pid as the sender's credentials. systemd-notify also handles abstract sockets
 * (@name), and waits until systemd has read the message (its barrier), so a quick exit of the helper loses nothing.
 */
const systemdNotify: NotifySender = (socket, lines) =>
  new Promise((resolve, reject) => {
    const child = spawn('systemd-notify', [`--pid=${process.pid}`, ...lines], {
      env: { ...process.env, NOTIFY_SOCKET: socket },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: NOTIFY_TIMEOUT_MS,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`systemd-notify exited with ${signal ?? String(code)}: ${stderr.trim()}`));
    });
  });

/** The master's notifications, in the order they are asked for; without NOTIFY_SOCKET every call does nothing. */
export class SystemdNotifier {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: string | undefined,
    private readonly log: Logger,
    private readonly send: NotifySender = systemdNotify,
  ) {}

  /** The pool serves (first start, or the end of a reload). */
  ready(status: string): Promise<void> {
    return this.notify(['READY=1', `STATUS=${status}`]);
  }

  /** A reload starts; READY=1 ends it. MONOTONIC_USEC is CLOCK_MONOTONIC now, which systemd 253+ asks for. */
  reloading(): Promise<void> {
    const usec = process.hrtime.bigint() / 1000n;
    return this.notify(['RELOADING=1', 'STATUS=reloading', `MONOTONIC_USEC=${usec}`]);
  }

  /** The stop begins. */
  stopping(): Promise<void> {
    return this.notify(['STOPPING=1', 'STATUS=stopping']);
  }

  private notify(lines: string[]): Promise<void> {
    const socket = this.socket;
    if (socket === undefined) return this.tail;
    this.tail = this.tail.then(() =>
      this.send(socket, lines).catch((err: unknown) => {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'systemd-notify is not installed' : err;
        this.log.warn({ err: why, message: lines[0] }, 'sd_notify failed: systemd was not told');
      }),
    );
    return this.tail;
  }
}
