// `uid` and `gid`: the master keeps its own user (it binds the addresses, privileged ports included) and forks the workers as the configured one.
import { spawnSync } from 'node:child_process';
import type { Config } from '../config/types.ts';
import { ConfigError } from '../errors/corral-error.ts';

/** The cluster settings that make workers run as `uid`/`gid`; throws (exit 2) when this process may not switch to them. */
export function workerIdentity(config: Config): { uid?: number; gid?: number } {
  const identity: { uid?: number; gid?: number } = {};
  if (config.uid !== undefined && config.uid !== process.getuid?.()) identity.uid = config.uid;
  if (config.gid !== undefined && config.gid !== process.getgid?.()) identity.gid = config.gid;
  if (identity.uid === undefined && identity.gid === undefined) return identity;
  if (process.getuid?.() !== 0) {
    throw new ConfigError(
      'uid/gid: corral must be started as root to run its workers as another user or group',
      'CORRAL_PRIVILEGES',
    );
  }
  assertWorkersCanRun(identity);
  return identity;
}

/**
 * Runs `corral --version` as the workers' user before any worker is forked: the kernel then answers whether that
 * user may run corral's program (modes of the file and of every directory above it, groups, ACLs), where a
 * refusal would otherwise show only as workers that die at birth, again and again.
 */
function assertWorkersCanRun(identity: { uid?: number; gid?: number }): void {
  const sea = process.getBuiltinModule?.('node:sea') as { isSea?: () => boolean } | undefined;
  const program = sea?.isSea?.() === true || process.argv[1] === undefined ? [] : [process.argv[1]];
  const probe = spawnSync(process.execPath, [...program, '--version'], {
    ...identity,
    stdio: 'ignore',
    timeout: 10_000,
  });
  if (probe.error === undefined && probe.status === 0) return;
  const file = program[0] ?? process.execPath;
  const why =
    (probe.error as NodeJS.ErrnoException | undefined)?.code ?? `exit ${String(probe.status ?? probe.signal)}`;
  throw new ConfigError(
    `uid/gid: the workers' user cannot run ${file} (${why}); make it and every directory above it readable by that user, or install corral where all users can run it, such as /usr/local/bin`,
    'CORRAL_PRIVILEGES',
  );
}
