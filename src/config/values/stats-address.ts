// The stats value types: the stats address (loopback when only a port is given, `unix:/path` or a path for a unix socket), `metrics` (a boolean or its own address), and the bearer token.
import { defineValueType, ok, refuse, type ParseOutcome } from '../value-type.ts';
import type { ListenAddress } from '../types.ts';
import { booleanType } from './boolean.ts';
import { parseListenAddress } from './listen-address.ts';

/** The host a stats address binds when only its port is given: the stats are for this machine unless said otherwise. */
const STATS_DEFAULT_HOST = '127.0.0.1';

function parseStatsAddress(raw: unknown): ParseOutcome<ListenAddress> {
  const text = typeof raw === 'string' && raw.trim().startsWith('unix:') ? raw.trim().slice(5) : raw;
  if (typeof text === 'string' && text.trim() !== '' && !text.includes('/') && raw !== text)
    return refuse('a unix socket needs a path with "/", as in "unix:/run/corral-stats.sock"');
  const parsed = parseListenAddress(text);
  if (!parsed.ok || parsed.value.kind !== 'tcp' || parsed.value.host !== undefined) return parsed;
  const { port } = parsed.value;
  return ok({ kind: 'tcp', host: STATS_DEFAULT_HOST, port, text: `${STATS_DEFAULT_HOST}:${port}` });
}

const statsExamples = [':9191', '127.0.0.1:9191', 'unix:/run/corral-stats.sock'];

export const statsAddressType = defineValueType<ListenAddress>({
  expected: 'an address like ":9191", "127.0.0.1:9191", "[::1]:9191", or "unix:/path/to/socket"',
  label: 'address | unix:PATH',
  json: {
    anyOf: [
      { type: 'integer', minimum: 0, maximum: 65535 },
      { type: 'string', minLength: 1 },
    ],
    examples: statsExamples,
  },
  parse: parseStatsAddress,
});

/** `metrics`: true serves /metrics on the stats address, an address serves it on a listener of its own, false: off. */
export const metricsType = defineValueType<boolean | ListenAddress>({
  expected: 'true/false, or an address like ":9100" or "unix:/path" for a listener of its own',
  label: 'boolean | address',
  json: {
    anyOf: [{ type: 'boolean' }, { type: 'integer', minimum: 0, maximum: 65535 }, { type: 'string', minLength: 1 }],
    examples: [true, ':9100'],
  },
  parse(raw) {
    // A bare 0 or 1 reads as a boolean, as everywhere in corral; port 1 or 0 would need ":1".
    const asBoolean = booleanType.schema.safeParse(raw);
    if (asBoolean.success) return ok(asBoolean.data);
    return parseStatsAddress(raw);
  },
});

export const statsTokenType = defineValueType<string>({
  expected: 'a token of at least 16 characters, without spaces',
  label: 'token',
  json: { type: 'string', pattern: '^\\S{16,}$' },
  parse(raw) {
    if (typeof raw !== 'string') return refuse();
    const token = raw.trim();
    if (/\s/.test(token)) return refuse('the stats-token may not hold spaces');
    if (token.length < 16)
      return refuse(`the stats-token is ${token.length} characters long: use at least 16 (e.g. openssl rand -hex 16)`);
    return ok(token);
  },
});
