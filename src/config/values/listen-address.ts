// The listen-address value type: ":8080", "8080", "host:8080", "[::1]:8080", or a unix socket path (anything with a "/").
import { isIPv4, isIPv6 } from 'node:net';
import { defineValueType, ok, refuse, type ParseOutcome } from '../value-type.ts';
import { describeInput } from '../describe-input.ts';
import type { ListenAddress } from '../types.ts';

const expected =
  'an address like ":8080", "8080", "127.0.0.1:8080", "[::1]:8080", or a unix socket path containing "/"';
const hostname = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

function tcp(host: string | undefined, portText: string, raw: unknown): ParseOutcome<ListenAddress> {
  const port = Number(portText);
  if (port > 65535) return refuse(`port ${portText} is out of range 0..65535 in ${describeInput(raw)}`);
  const shown = host === undefined ? '' : host.includes(':') ? `[${host}]` : host;
  return ok({ kind: 'tcp', host, port, text: `${shown}:${port}` });
}

export function parseListenAddress(raw: unknown): ParseOutcome<ListenAddress> {
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 0 ? tcp(undefined, String(raw), raw) : refuse();
  if (typeof raw !== 'string') return refuse();
  const text = raw.trim();
  if (text.includes('/')) return ok({ kind: 'unix', path: text, text });
  if (/^\d+$/.test(text)) return tcp(undefined, text, raw);
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (bracketed) return isIPv6(bracketed[1]!) ? tcp(bracketed[1], bracketed[2]!, raw) : refuse();
  const plain = /^([^:]*):(\d+)$/.exec(text);
  if (!plain) return refuse();
  const host = plain[1]!;
  if (host === '') return tcp(undefined, plain[2]!, raw);
  return isIPv4(host) || hostname.test(host) ? tcp(host, plain[2]!, raw) : refuse();
}

export const listenAddressType = defineValueType<ListenAddress>({
  expected,
  label: 'address | socket path',
  json: {
    anyOf: [
      { type: 'integer', minimum: 0, maximum: 65535 },
      { type: 'string', minLength: 1 },
    ],
    examples: [':8080', '127.0.0.1:8080', '[::1]:8080', '/run/app.sock'],
  },
  parse: parseListenAddress,
});
