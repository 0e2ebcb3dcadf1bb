// Binds one server to one configured address and turns bind failures into config errors that name the address.
import type { Server } from 'node:net';
import type { ListenAddress } from '../config/types.ts';
import { ConfigError } from '../errors/corral-error.ts';
import { listenOnDescriptor } from './activated-socket.ts';

/**
 * Listens on `address`; resolves with the address actually bound, as text (`127.0.0.1:43127`, `[::]:8080`,
 * `/run/app.sock`). `setting` names the address in errors (`http`, `https`).
 */
export function listen(server: Server, address: ListenAddress, setting = 'http'): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(bindError(address, err, setting));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(boundText(server, address));
    };
    server.once('error', onError);
    server.once('listening', onListening);
    if (address.fd !== undefined) listenOnDescriptor(server, address.fd);
    else if (address.kind === 'unix') server.listen(address.path);
    else server.listen(address.port, address.host);
  });
}

function boundText(server: Server, address: ListenAddress): string {
  const bound = server.address();
  if (bound === null || typeof bound === 'string') return address.kind === 'unix' ? address.path : String(bound);
  return bound.family === 'IPv6' ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`;
}

function bindError(address: ListenAddress, err: NodeJS.ErrnoException, setting: string): Error {
  const where = `${setting} ${address.text}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return new ConfigError(
        `${where}: address already in use (another process listens there; stop it or pick another port)`,
        'CORRAL_ADDRESS_IN_USE',
      );
    case 'EACCES':
      return new ConfigError(
        address.kind === 'unix'
          ? `${where}: permission denied (corral cannot create the socket there; pick a directory it can write to)`
          : `${where}: permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE; pick a port >= 1024)`,
        'CORRAL_ADDRESS_DENIED',
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ConfigError(
        `${where}: this machine has no such address (use :PORT for every interface or 127.0.0.1:PORT)`,
        'CORRAL_ADDRESS_UNAVAILABLE',
      );
    default:
      return new ConfigError(`${where}: cannot listen (${err.code ?? err.message})`, 'CORRAL_ADDRESS_FAILED');
  }
}
