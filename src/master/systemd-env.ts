// What systemd hands the master in its environment (NOTIFY_SOCKET, LISTEN_FDS/LISTEN_PID/LISTEN_FDNAMES), read once and removed so the workers and the app's children do not inherit it.
import type { Logger } from '../log/logger.ts';

/** The first inherited descriptor of socket activation (SD_LISTEN_FDS_START). */
const LISTEN_FDS_START = 3;

export interface SystemdEnv {
  /** Where sd_notify datagrams go (a path, or an abstract name starting with @); absent outside a Type=notify unit. */
  notifySocket?: string;
  /** Socket activation: the inherited listening descriptors (3, 4...) and their names (LISTEN_FDNAMES), in order. */
  activated?: { fds: number[]; names: string[] };
}

/**
 * Reads and removes the systemd variables from `env`. LISTEN_FDS counts only when LISTEN_PID is this process (a
 * variable inherited from a parent that was activated is not ours); it is removed either way, as sd_listen_fds does.
 */
export function takeSystemdEnv(env: NodeJS.ProcessEnv, pid: number, log?: Logger): SystemdEnv {
  const found: SystemdEnv = {};
  const notifySocket = env.NOTIFY_SOCKET;
  if (notifySocket !== undefined && notifySocket !== '') found.notifySocket = notifySocket;
  const { LISTEN_FDS: count, LISTEN_PID: forPid, LISTEN_FDNAMES: names } = env;
  for (const name of ['NOTIFY_SOCKET', 'LISTEN_FDS', 'LISTEN_PID', 'LISTEN_FDNAMES']) delete env[name];
  if (count === undefined) return found;
  const n = Number(count);
  if (String(forPid) !== String(pid) || !Number.isInteger(n) || n <= 0) {
    log?.warn({ LISTEN_FDS: count, LISTEN_PID: forPid, pid }, 'LISTEN_FDS ignored: not meant for this process');
    return found;
  }
  const fds = Array.from({ length: n }, (_, i) => LISTEN_FDS_START + i);
  found.activated = { fds, names: names === undefined ? [] : names.split(':') };
  return found;
}
