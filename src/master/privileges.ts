// `uid` and `gid`: the master keeps its own user (it binds the addresses, privileged ports included) and forks the workers as the configured one.
import type { Config } from '../config/types.ts';
import { ConfigError } from '../errors/corral-error.ts';

/** The cluster settings that make workers run as `uid`/`gid`; throws (exit 2) when this process may not switch to them. */
export function workerIdentity(config: Config): { uid?: number; gid?: number } {
  const identity: { uid?: number; gid?: number } = {};
  if (config.uid !== undefined && config.uid !== process.getuid?.()) identity.uid = config.uid;
  if (config.gid !== undefined && config.gid !== process.getgid?.()) identity.gid = config.gid;
  if ((identity.uid !== undefined || identity.gid !== undefined) && process.getuid?.() !== 0) {
    throw new ConfigError('uid/gid: corral must be started as root to run its workers as another user or group', 'CORRAL_PRIVILEGES');
  }
  return identity;
}
