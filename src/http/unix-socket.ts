// Unix socket files corral owns: a stale one left by a crash is removed before binding, and `vacuum` removes them on exit.
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
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
  if (!alive) unlinkSync(path);
}

export async function removeStaleSockets(addresses: readonly ListenAddress[]): Promise<void> {
  for (const address of addresses) if (address.kind === 'unix') await removeStaleSocket(address.path);
}

/** The `vacuum` setting: removes the unix socket files of `addresses` that still exist. */
export function vacuumSockets(addresses: readonly ListenAddress[]): void {
  for (const address of addresses) {
    if (address.kind !== 'unix' || !existsSync(address.path)) continue;
    try {
      unlinkSync(address.path);
    } catch {
      // Already gone or not ours to remove: nothing to clean.
    }
  }
}
