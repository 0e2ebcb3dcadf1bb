// A worker's end of the ACME state: takes each state the master sends, applies it to the TLS listeners, and acknowledges it.
import { isAcmeStateMessage, type AcmeAckMessage } from '../acme/messages.ts';
import type { TlsState } from '../http/tls.ts';

/** Listens for the master's ACME state (only in a cluster worker). Installed before the listeners bind, so no state sent to this worker is missed once it serves. */
export function followAcmeState(tls: TlsState): void {
  if (process.send === undefined) return;
  process.on('message', (message: unknown) => {
    if (!isAcmeStateMessage(message)) return;
    tls.apply(message);
    const ack: AcmeAckMessage = { type: 'corral:acme-ack', seq: message.seq };
    if (process.connected) process.send?.(ack);
  });
}
