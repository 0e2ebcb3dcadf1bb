// Who may read the stats address: clients on this machine (a loopback peer that asked for a loopback host), and others only with the stats-token.
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** What the check reads from a request. */
export interface AccessRequest {
  /** The peer's address; undefined on a unix socket (only this machine can reach one). */
  peer: string | undefined;
  /** The Host header as sent. */
  host: string | undefined;
  authorization: string | undefined;
  /** The `token` query parameter, for a browser that cannot set a header. */
  queryToken: string | null;
}

export type AccessDecision = { ok: true } | { ok: false; status: 401 | 403; message: string };

/** True for 127.0.0.0/8, ::1 and IPv4-mapped 127.x. */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1' || plain === '0:0:0:0:0:0:0:1';
}

/** The host part of a Host header: `localhost`, `127.0.0.1`, `[::1]`, with or without a port. */
function hostName(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!;
  const colon = host.lastIndexOf(':');
  return colon >= 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

/**
 * A loopback host name. The Host header is checked too: a web page elsewhere can make a browser on this machine send
 * requests to 127.0.0.1 under its own name (DNS rebinding), and such a request carries that name.
 */
function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true; // HTTP/1.0 clients on this machine (curl -0) send none
  const name = hostName(host.trim().toLowerCase());
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function bearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/** Decides whether `req` may read the stats; `token` is the stats-token, if set. */
export function checkAccess(req: AccessRequest, token: string | undefined): AccessDecision {
  const local = (req.peer === undefined || isLoopbackAddress(req.peer)) && isLoopbackHost(req.host);
  if (local) return { ok: true };
  if (token === undefined)
    return {
      ok: false,
      status: 403,
      message:
        'the stats address answers only this machine (a loopback client asking for localhost, 127.0.0.1 or [::1]); ' +
        'set stats-token in the config to let other clients in with "Authorization: Bearer TOKEN"\n',
    };
  const given = bearer(req.authorization) ?? req.queryToken ?? undefined;
  if (given !== undefined && sameToken(given, token)) return { ok: true };
  return {
    ok: false,
    status: 401,
    message: 'this client is not on this machine: send the stats-token as "Authorization: Bearer TOKEN"\n',
  };
}
