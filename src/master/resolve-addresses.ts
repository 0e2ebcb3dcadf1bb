// Before forking, the master test-binds every address: a bad one stops corral with exit 2 before any worker starts, and port 0 becomes one real port.
import { createServer } from 'node:net';
import type { ListenAddress } from '../config/types.ts';
import { listen } from '../http/listen.ts';

/**
 * Binds each address once and closes it again. Returns the addresses with port 0 replaced by the port the kernel
 * chose, so every worker (and every replacement worker) listens on the same port. Throws the ConfigError of the
 * first address that cannot be bound.
 */
export async function resolveAddresses(addresses: readonly ListenAddress[]): Promise<ListenAddress[]> {
  const resolved: ListenAddress[] = [];
  for (const address of addresses) {
    // An inherited socket (socket activation) is bound already, by systemd.
    if (address.fd !== undefined) {
      resolved.push(address);
      continue;
    }
    const probe = createServer();
    await listen(probe, address);
    const bound = probe.address();
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    if (address.kind === 'tcp' && address.port === 0 && bound !== null && typeof bound === 'object') {
      resolved.push({ ...address, port: bound.port });
    } else {
      resolved.push(address);
    }
  }
  return resolved;
}
