// Trusted proxies (`forwarded-allow-ips`): believe X-Forwarded-For/-Proto/-Host from them, and remove those headers from anyone else's requests.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** Headers a client could use to pose as someone else: they reach the app only from a trusted proxy. */
const PROXY_HEADERS = [
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'forwarded',
] as const;

/**
 * Applies the proxy trust to one request and returns the client's address when a trusted proxy named it (undefined:
 * the peer itself is the client). Afterwards every X-Forwarded-* header the app sees can be believed:
 * - from a peer that is not trusted, X-Forwarded-For/-Proto/-Host/-Port and Forwarded are removed;
 * - from a trusted one, X-Forwarded-For is cut down to the client and the trusted proxies after it: read from the
 *   right, the first address that is not itself trusted is the client, and what stands left of it was written by
 *   the client, so it is dropped. Frameworks told to trust proxies (Express `trust proxy`, Koa `proxy`, Fastify
 *   `trustProxy`) then find the client in the first place.
 */
export type ForwardedPolicy = (req: IncomingMessage) => string | undefined;

/** Whether an address is one of `forwarded-allow-ips` (addresses, CIDR ranges, or `*`). */
export function trustedAddresses(allowed: readonly string[]): (address: string) => boolean {
  if (allowed.includes('*')) return () => true;
  const list = blockList(allowed);
  return (address) => {
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  };
}

export function forwardedPolicy(allowed: readonly string[]): ForwardedPolicy {
  const trusted = trustedAddresses(allowed);

  return (req) => {
    // The common case costs a look at each header name's first letter and no allocation: no header that could be one.
    if (!mayHaveProxyHeader(req.rawHeaders)) return undefined;
    const headers = req.headers;
    if (
      headers['x-forwarded-for'] === undefined &&
      headers['x-forwarded-proto'] === undefined &&
      headers['x-forwarded-host'] === undefined &&
      headers['x-forwarded-port'] === undefined &&
      headers.forwarded === undefined
    ) {
      return undefined;
    }
    const peer = req.socket.remoteAddress;
    if (peer === undefined || !trusted(peer)) {
      removeHeaders(req, new Set<string>(PROXY_HEADERS));
      return undefined;
    }
    const forwardedFor = headers['x-forwarded-for'] as string | undefined; // node:http joins repeated ones with ", "
    if (forwardedFor === undefined) return undefined;
    const hops = forwardedFor.split(',').map((hop) => hop.trim());
    let at = hops.length - 1;
    while (at > 0 && trusted(hops[at]!)) at--;
    const client = hops[at]!;
    if (isIP(unmapped(client)) === 0) {
      // Not an address (a proxy wrote "unknown" or garbage): nothing here can be believed.
      removeHeaders(req, new Set(['x-forwarded-for']));
      return undefined;
    }
    if (at > 0) setHeader(req, 'x-forwarded-for', hops.slice(at).join(', '));
    return client;
  };
}

/**
 * False when no header is named X-Forwarded-* or Forwarded. Read from rawHeaders (names as sent, values between them):
 * node:http builds `req.headers` on first use, and each use goes through a getter; the app may never ask for it.
 */
function mayHaveProxyHeader(raw: readonly string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const first = (raw[i] as string).charCodeAt(0) | 0x20; // lower case
    if (first === 0x78 /* x */ || first === 0x66 /* f */) return true;
  }
  return false;
}

function blockList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** Removes headers from both views the app may read: `headers` (already parsed by node:http) and `rawHeaders`. */
function removeHeaders(req: IncomingMessage, names: ReadonlySet<string>): void {
  for (const name of names) delete req.headers[name];
  const raw = req.rawHeaders;
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (!names.has(raw[i]!.toLowerCase())) kept.push(raw[i]!, raw[i + 1]!);
  req.rawHeaders = kept;
}

/** Replaces every copy of header `name` with one header holding `value`. */
function setHeader(req: IncomingMessage, name: string, value: string): void {
  removeHeaders(req, new Set([name]));
  req.headers[name] = value;
  req.rawHeaders.push(name, value);
}
