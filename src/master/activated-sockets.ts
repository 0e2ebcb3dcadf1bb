// Socket activation, master side: the inherited listening descriptors stand in for the `http` addresses, and the master keeps them open and hands a copy to each worker that asks.
import cluster, { type Worker } from 'node:cluster';
import { Socket } from 'node:net';
import type { ListenAddress } from '../config/types.ts';
import { ConfigError } from '../errors/corral-error.ts';
import type { Logger } from '../log/logger.ts';
import { isWorkerMessage, type ActivatedSocketMessage } from '../worker/messages.ts';

/**
 * The `http` addresses with descriptor i given to address i, in order. With fewer descriptors than addresses, the
 * addresses left over are bound as usual; with more, the extra descriptors are left unused. Either way a warning
 * says which. With `http` unset the default address is the one replaced.
 */
export function activateAddresses(
  http: readonly ListenAddress[],
  fds: readonly number[],
  names: readonly string[],
  log: Logger,
): ListenAddress[] {
  const mapped = http.map((address, i) => {
    const fd = fds[i];
    return fd === undefined ? address : { ...address, fd };
  });
  const served = mapped.flatMap((address, i) =>
    address.fd === undefined ? [] : [{ fd: address.fd, name: names[i], http: address.text }],
  );
  log.info({ sockets: served }, 'socket activation: serving on the inherited sockets instead of binding');
  if (fds.length < http.length)
    log.warn(
      { bound: http.slice(fds.length).map((address) => address.text) },
      'socket activation: fewer sockets than http addresses; the others are bound as usual',
    );
  if (fds.length > http.length)
    log.warn(
      { unused: fds.slice(http.length) },
      'socket activation: more sockets than http addresses; the extra ones are not served (add http addresses)',
    );
  return mapped;
}

type NativeHandle = NonNullable<Parameters<Worker['send']>[1]>;

/**
 * Opens the inherited descriptors without accepting on them, and answers each worker's `corral:activated-socket`
 * with the descriptor's handle (sent over IPC, so the worker gets its own copy and accepts from it directly, under
 * either scheduling-policy). The master's copy stays open while workers come and go: cluster's own sharing of
 * `listen({ fd })` would close the descriptor when its last worker exits (a respawn of a one-worker pool), and a
 * closed inherited descriptor cannot be had again. Returns a function that closes them.
 */
export function holdActivatedSockets(addresses: readonly ListenAddress[], log: Logger): () => void {
  const held = new Map<number, Socket>();
  for (const address of addresses) {
    if (address.fd === undefined) continue;
    try {
      held.set(address.fd, new Socket({ fd: address.fd, readable: false, writable: false }));
    } catch (err) {
      for (const socket of held.values()) socket.destroy();
      throw new ConfigError(
        `socket activation: descriptor ${address.fd} (for http ${address.text}) is not a socket corral can serve on (${(err as Error).message}); check the .socket unit's ListenStream=`,
        'CORRAL_ACTIVATION_FAILED',
      );
    }
  }
  const answer = (worker: Worker, message: unknown) => {
    if (!isWorkerMessage(message) || message.type !== 'corral:activated-socket') return;
    const socket = held.get(message.fd);
    const handle = (socket as unknown as { _handle?: NativeHandle } | undefined)?._handle;
    if (handle === undefined) return log.warn({ fd: message.fd }, 'a worker asked for a socket corral does not hold');
    const reply: ActivatedSocketMessage = { type: 'corral:activated-socket', fd: message.fd };
    worker.send(reply, handle, () => {});
  };
  cluster.on('message', answer);
  return () => {
    cluster.off('message', answer);
    for (const socket of held.values()) socket.destroy();
  };
}
