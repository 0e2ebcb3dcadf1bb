// Unix socket files corral owns: a stale one (a socket nobody listens on) is removed before binding, and again at exit with `vacuum`.
import { lstatSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import type { ListenAddress } from '../config/types.ts';

/** Removes `path` if it is a socket nobody listens on (left by a killed corral); leaves anything else alone. */
export async function removeStaleSocket(path: string): Promise<void> {
  let isSocket = false;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return; // nothing there
  }
  if (!isSocket) return; // a regular file: binding fails with a clear "address already in use"
  const alive = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (!alive) {
    try {
      unlinkSync(path);
    } catch {
      // Gone in the meantime: nothing to clean.
    }
  }
}

/**
 * Removes the stale socket files of `addresses`. Used before binding and, with `vacuum`, at exit, where it never
 * touches a file that is not a socket or a socket another process listens on by then.
 */
export async function removeStaleSockets(addresses: readonly ListenAddress[]): Promise<void> {
  for (const address of addresses) if (address.kind === 'unix') await removeStaleSocket(address.path);
}
