// Parses the PROXY protocol header (HAProxy's spec, versions 1 and 2) at the start of a connection: the client's address as the balancer saw it.
import { isIPv4, isIPv6 } from 'node:net';

/** The client a balancer names; absent from a header that names none (v1 UNKNOWN, v2 LOCAL or AF_UNSPEC). */
export interface ProxyClient {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

export type ProxyHeaderResult =
  /** More bytes are needed to tell. */
  | { kind: 'incomplete' }
  /** Not a PROXY header, or a broken one: the connection is closed. */
  | { kind: 'invalid'; reason: string }
  /** A header of `length` bytes; what follows it is the client's first bytes (HTTP, or a TLS ClientHello). */
  | { kind: 'header'; version: 1 | 2; length: number; client: ProxyClient | undefined };

/** v2 starts with these 12 bytes; a v1 header with "PROXY ". */
const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
/** A v1 line is at most 107 bytes, CRLF included (the spec's worst case, TCP6 with the longest addresses). */
const V1_MAX = 107;
/** v2's fixed part: signature, version and command, family and protocol, and the length of what follows. */
const V2_FIXED = 16;

/** Reads a PROXY header from the first bytes of a connection (all that arrived so far). */
export function parseProxyHeader(data: Buffer): ProxyHeaderResult {
  if (startsLike(data, V2_SIGNATURE)) return data.length < V2_FIXED ? incomplete : parseV2(data);
  if (startsLike(data, V1_PREFIX)) return data.length < V1_PREFIX.length ? incomplete : parseV1(data);
  return invalid('no PROXY protocol header');
}

const incomplete: ProxyHeaderResult = { kind: 'incomplete' };
const invalid = (reason: string): ProxyHeaderResult => ({ kind: 'invalid', reason });

/** True when `data` is `prefix` so far (a shorter `data` may still become it). */
function startsLike(data: Buffer, prefix: Buffer): boolean {
  const n = Math.min(data.length, prefix.length);
  return data.subarray(0, n).equals(prefix.subarray(0, n));
}

/** `PROXY TCP4|TCP6 SRC DST SPORT DPORT\r\n`, or `PROXY UNKNOWN ...\r\n` (then the connection's own peer counts). */
function parseV1(data: Buffer): ProxyHeaderResult {
  const end = data.indexOf('\r\n', 0, 'latin1');
  if (end < 0) return data.length >= V1_MAX ? invalid('a v1 line longer than 107 bytes') : incomplete;
  const length = end + 2;
  if (length > V1_MAX) return invalid('a v1 line longer than 107 bytes');
  const parts = data.toString('latin1', 0, end).split(' ');
  const protocol = parts[1];
  if (protocol === 'UNKNOWN') return { kind: 'header', version: 1, length, client: undefined };
  if (parts.length !== 6) return invalid('a v1 line without its five fields');
  const [, , source, destination, sourcePort, destinationPort] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const family = protocol === 'TCP4' ? 'IPv4' : protocol === 'TCP6' ? 'IPv6' : undefined;
  if (family === undefined) return invalid(`a v1 line with protocol ${JSON.stringify(protocol)}`);
  const isAddress = family === 'IPv4' ? isIPv4 : isIPv6;
  if (!isAddress(source) || !isAddress(destination)) return invalid(`a v1 line with an address that is not ${family}`);
  const port = v1Port(sourcePort);
  if (port === undefined || v1Port(destinationPort) === undefined) return invalid('a v1 line with a bad port');
  return { kind: 'header', version: 1, length, client: { address: source, port, family } };
}

function v1Port(text: string): number | undefined {
  if (!/^(0|[1-9]\d{0,4})$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

/** The binary header: command LOCAL (a balancer's own check: no client) or PROXY, then the addresses by family. */
function parseV2(data: Buffer): ProxyHeaderResult {
  const versionCommand = data[12]!;
  if (versionCommand >> 4 !== 2) return invalid(`a v2 header of version ${versionCommand >> 4}`);
  const command = versionCommand & 0x0f;
  if (command > 1) return invalid(`a v2 header with command ${command}`);
  const length = V2_FIXED + data.readUInt16BE(14);
  if (data.length < length) return incomplete;
  if (command === 0) return { kind: 'header', version: 2, length, client: undefined };
  const familyProtocol = data[13]!;
  const family = familyProtocol >> 4;
  const protocol = familyProtocol & 0x0f;
  if (protocol > 2) return invalid(`a v2 header with transport protocol ${protocol}`);
  const body = data.subarray(V2_FIXED, length);
  switch (family) {
    case 0x0: // AF_UNSPEC: the connection's own peer counts
      return { kind: 'header', version: 2, length, client: undefined };
    case 0x1: // AF_INET: source, destination (4 bytes each), source port, destination port
      if (body.length < 12) return invalid('a v2 IPv4 header shorter than its addresses');
      return { kind: 'header', version: 2, length, client: v2Client(ipv4(body, 0), body.readUInt16BE(8), 'IPv4') };
    case 0x2: // AF_INET6: 16 bytes each
      if (body.length < 36) return invalid('a v2 IPv6 header shorter than its addresses');
      return { kind: 'header', version: 2, length, client: v2Client(ipv6(body, 0), body.readUInt16BE(32), 'IPv6') };
    case 0x3: // AF_UNIX: the balancer's peer was a local socket, which has no address to give
      if (body.length < 216) return invalid('a v2 unix header shorter than its addresses');
      return { kind: 'header', version: 2, length, client: undefined };
    default:
      return invalid(`a v2 header with address family ${family}`);
  }
}

function v2Client(address: string, port: number, family: ProxyClient['family']): ProxyClient {
  return { address, port, family };
}

function ipv4(bytes: Buffer, at: number): string {
  return `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
}

/** As Node writes a peer's IPv6 address: lower-case hex, the longest run of zero groups (two or more) as `::`. */
export function ipv6(bytes: Buffer, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(bytes.readUInt16BE(at + i * 2));
  // An IPv4-mapped address (::ffff:a.b.c.d), as a dual-stack socket reports an IPv4 peer.
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) return `::ffff:${ipv4(bytes, at + 12)}`;
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
