// gunicorn's request corpus (test/fixtures/gunicorn-requests), replayed byte for byte at the built corral: every invalid request is refused (4xx, or the connection closed), every valid one reaches the app as gunicorn's .py file expects, never a 5xx, a hang or a dead worker. Where corral differs from gunicorn, DIFFERENT says so and why.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCorral, stopAll, type Running } from './harness.ts';
import { exchange, type Exchange } from './raw-http.ts';

const CORPUS = fileURLToPath(new URL('../fixtures/gunicorn-requests/', import.meta.url));
const ECHO = fileURLToPath(new URL('../apps/echo/app.mjs', import.meta.url));

interface ExpectedRequest {
  method: string;
  target: string;
  version: string;
  headers: [string, string][];
  body: string;
  trailers: [string, string][];
}

/** What transcribe.py wrote from the .py files: the requests of a valid file, the error of an invalid one. */
type Expected = Record<string, { cfg: Record<string, unknown>; requests?: ExpectedRequest[]; error?: string }>;

const expected = JSON.parse(readFileSync(`${CORPUS}expected.json`, 'utf8')) as Expected;

/**
 * The bytes a .http file stands for, by the rules of gunicorn's harness (tests/treq.py): the file's own line breaks
 * are dropped; then the escapes `\r\n` (CRLF), `\0` (NUL), `\n` (LF) and `\t` (HTAB) are replaced, in that order; then
 * `\xHH` (one byte) where three more characters follow the backslash. Any other backslash is an error.
 */
function corpusBytes(file: Buffer): Buffer {
  const text = file
    .toString('latin1')
    .replaceAll('\n', '')
    .replaceAll('\\r\\n', '\r\n')
    .replaceAll('\\0', '\0')
    .replaceAll('\\n', '\n')
    .replaceAll('\\t', '\t');
  let out = '';
  for (let i = 0; i < text.length; ) {
    const hex = text.slice(i + 2, i + 4);
    if (i + 3 < text.length && text.startsWith('\\x', i) && /^[0-9a-fA-F]{2}$/.test(hex)) {
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 4;
    } else {
      out += text[i++];
    }
  }
  if (out.includes('\\')) throw new Error('a backslash the corpus rules do not cover');
  return Buffer.from(out, 'latin1');
}

/** The corpus's files of one kind, by name without extension. */
function cases(kind: 'valid' | 'invalid'): string[] {
  return readdirSync(`${CORPUS}${kind}`)
    .filter((name) => name.endsWith('.http'))
    .map((name) => name.slice(0, -'.http'.length))
    .sort();
}

/** Why corral refuses a request gunicorn's corpus calls valid, or takes one it calls invalid. */
interface Difference {
  corral: 'refused' | 'accepted';
  why: string;
  /**
   * For a valid request refused for lacking Host (HTTP/1.1 requires it: RFC 9112, section 3.2), or one the corpus
   * writes with a Content-Length longer than its body: the request is also sent with that fixed, and must then
   * reach the app as expected.
   */
  fixed?: 'host' | 'content-length';
}

const NO_HOST: Difference = {
  corral: 'refused',
  why: 'HTTP/1.1 without Host: 400, as RFC 9112 (3.2) requires; gunicorn takes it',
  fixed: 'host',
};
const AT_THE_LIMIT =
  'a field a few bytes under the field-size limit as corral counts it (name and value), over it as gunicorn counts (the whole line with ": " and CRLF)';

/** Every case where corral's verdict is not gunicorn's: the same list as the README of test/fixtures/gunicorn-requests. */
const DIFFERENT: Record<string, Difference> = {
  'valid/004': NO_HOST,
  'valid/005': NO_HOST,
  'valid/006': NO_HOST,
  'valid/007': NO_HOST,
  'valid/009': {
    corral: 'refused',
    why: 'Transfer-Encoding (identity) with Content-Length: llhttp refuses the pair, which RFC 9112 (6.3) allows',
  },
  'valid/010': NO_HOST,
  'valid/011': NO_HOST,
  'valid/012': NO_HOST,
  'valid/013': {
    corral: 'refused',
    why: 'whitespace before a chunk extension\'s ";" ("5; some"): llhttp refuses it',
  },
  'valid/014': NO_HOST,
  'valid/018': NO_HOST,
  'valid/019': {
    corral: 'refused',
    why: 'bytes after an HTTP/1.0 request without keep-alive: llhttp answers 400 and closes (the first request reaches the app, its answer is lost)',
  },
  'valid/021': {
    corral: 'refused',
    why: 'bytes after a request with Connection: close: llhttp answers 400 and closes (the first request reaches the app, its answer is lost)',
  },
  'valid/022': NO_HOST,
  'valid/023': NO_HOST,
  'valid/025': NO_HOST,
  'valid/025_line': NO_HOST,
  'valid/027': { corral: 'refused', why: 'a byte over 0x7F in the target (raw UTF-8): llhttp refuses it' },
  'valid/028': {
    corral: 'refused',
    why: 'space before a colon: valid for gunicorn only with strip_header_spaces, which the file sets; refused by both by default',
  },
  'valid/029': NO_HOST,
  'valid/030': NO_HOST,
  'valid/031': { corral: 'refused', why: 'an unknown method (-BLARGH): llhttp takes only the methods it knows' },
  'valid/031compat': {
    corral: 'refused',
    why: 'an unknown method, lower case: llhttp takes only the methods it knows',
  },
  'valid/031compat2': {
    corral: 'refused',
    why: 'an unknown method, lower case: llhttp takes only the methods it knows',
  },
  'valid/040': {
    corral: 'accepted',
    why: 'gunicorn drops header names with an underscore (WSGI would read Content_Length as Content-Length); Node apps see names as sent, so corral passes them on',
  },
  'valid/099': {
    corral: 'refused',
    why: 'its Content-Length (17914) is longer than its body (8599 bytes): corral waits for the rest, and answers 400 when the client ends first',
    fixed: 'content-length',
  },
  'valid/100': NO_HOST,
  'valid/compat_obs_fold': {
    corral: 'refused',
    why: 'obs-fold: valid for gunicorn only with permit_obsolete_folding, which the file sets; refused by both by default',
  },
  'valid/compat_obs_fold_huge': {
    corral: 'refused',
    why: 'obs-fold: valid for gunicorn only with permit_obsolete_folding, which the file sets; refused by both by default',
  },
  'valid/pp_01': { corral: 'refused', why: 'a PROXY protocol line: corral does not speak the PROXY protocol' },
  'valid/pp_02': { corral: 'refused', why: 'a PROXY protocol line: corral does not speak the PROXY protocol' },
  'valid/pp_04': { corral: 'refused', why: 'a PROXY protocol v2 header: corral does not speak the PROXY protocol' },
  'valid/pp_05': { corral: 'refused', why: 'a PROXY protocol v2 header: corral does not speak the PROXY protocol' },
  'valid/rfc9112_target_authority_connect_01': {
    corral: 'refused',
    why: 'CONNECT: corral is no forward proxy; node:http closes the connection',
  },
  'valid/rfc9112_target_authority_ipv6_01': {
    corral: 'refused',
    why: 'CONNECT: corral is no forward proxy; node:http closes the connection',
  },
  'invalid/006': {
    corral: 'accepted',
    why: "a request line of 4,112 bytes: gunicorn's limit_request_line is 4094 by default, corral's limit-request-line 8190 (nginx's 8k buffers)",
  },
  'invalid/008': { corral: 'accepted', why: AT_THE_LIMIT },
  'invalid/012': { corral: 'accepted', why: AT_THE_LIMIT },
  'invalid/limit_header_default_01': { corral: 'accepted', why: AT_THE_LIMIT },
  'invalid/040': {
    corral: 'accepted',
    why: 'header names with an underscore, refused by gunicorn with header_map=refuse (which the file sets); passed on by corral',
  },
  'invalid/rfc9110_trailer_forbidden_host_01': {
    corral: 'accepted',
    why: 'Host in the trailers: node:http keeps trailers apart (req.trailers) and never merges them into the headers; the app has the request before the trailers come',
  },
};

/** gunicorn's settings that corral has under the same name (its limits); any other setting a file changes is ignored. */
const SAME_SETTINGS = ['limit_request_line', 'limit_request_fields', 'limit_request_field_size'];

/** corral's flags for the gunicorn settings a file changes: a limit of 0 is gunicorn's default (and corral's), no flag. */
function flagsFor(cfg: Record<string, unknown>): string[] {
  return SAME_SETTINGS.filter((name) => cfg[name] !== undefined && cfg[name] !== 0).flatMap((name) => [
    `--${name.replaceAll('_', '-')}`,
    String(cfg[name]),
  ]);
}

/** One corral per set of flags (most files need none), each with one worker and the echo app. */
const servers = new Map<string, Promise<Running>>();

function corralWith(flags: string[]): Promise<Running> {
  const key = flags.join(' ');
  let server = servers.get(key);
  if (server === undefined) {
    server = startCorral(['--http', '127.0.0.1:0', '--module', ECHO, '--processes', '1', ...flags]);
    servers.set(key, server);
  }
  return server;
}

beforeAll(async () => {
  await corralWith([]);
});

afterAll(stopAll);

/** Replays `data` at the corral for `cfg`: waits for `responses` answers when given, else for the connection's end. */
async function replay(cfg: Record<string, unknown>, data: Buffer, responses?: number): Promise<Exchange> {
  const port = Number(new URL((await corralWith(flagsFor(cfg))).url).port);
  return exchange(port, data, { ...(responses !== undefined && { responses }), quietMs: 400, timeoutMs: 5000 });
}

interface Echo extends ExpectedRequest {
  pid: number;
  headers: [string, string][];
}

/** What the echo app read of a request, with header and trailer names upper-cased as gunicorn reports them. */
function echoOf(body: Buffer): Echo {
  const echo = JSON.parse(body.toString('utf8')) as Omit<Echo, 'headers' | 'trailers'> & {
    headers: string[];
    trailers: string[];
  };
  const pairs = (flat: string[]) => {
    const out: [string, string][] = [];
    for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!.toUpperCase(), flat[i + 1]!]);
    return out;
  };
  return { ...echo, headers: pairs(echo.headers), trailers: pairs(echo.trailers) };
}

/** Adds `Host: corral.test` after each HTTP/1.1 request line that starts a request. */
function withHost(data: Buffer): Buffer {
  const text = data
    .toString('latin1')
    .replace(/(^|\r\n)([A-Z]+ [^ \r\n]+ HTTP\/1\.1\r\n)/g, '$1$2Host: corral.test\r\n');
  return Buffer.from(text, 'latin1');
}

/** The request with the Content-Length its body has; and what the app then reads: the .py file's, with that length. */
function withBodyLength(data: Buffer, want: ExpectedRequest[]): [Buffer, ExpectedRequest[]] {
  const text = data.toString('latin1');
  const length = String(text.length - text.indexOf('\r\n\r\n') - 4);
  const fixed = want.map((request) => ({
    ...request,
    headers: request.headers.map(([name, value]): [string, string] => [
      name,
      name === 'CONTENT-LENGTH' ? length : value,
    ]),
  }));
  return [Buffer.from(text.replace(/Content-Length: \d+/, `Content-Length: ${length}`), 'latin1'), fixed];
}

/** Checks that the app read each request of `want` as gunicorn's .py file says (an added Host aside). */
function expectRequests(result: Exchange, want: ExpectedRequest[], addedHost: boolean): void {
  expect(result.timedOut).toBe(false);
  expect(result.responses.map((r) => r.status)).toEqual(want.map(() => 200));
  result.responses.forEach((response, i) => {
    const echo = echoOf(response.body);
    const headers = addedHost
      ? echo.headers.filter(([name, value]) => !(name === 'HOST' && value === 'corral.test'))
      : echo.headers;
    const request = want[i]!;
    expect({ ...echo, headers, pid: undefined }).toEqual({ ...request, pid: undefined });
  });
}

/** A refusal: 4xx answers only (or none), then the connection closed; never a 2xx, a 5xx or a hang. */
function expectRefused(result: Exchange): void {
  expect(result.timedOut).toBe(false);
  expect(result.closed).toBe(true);
  for (const response of result.responses) {
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  }
}

describe("gunicorn's valid requests", () => {
  it.each(cases('valid'))('%s', async (name) => {
    const data = corpusBytes(readFileSync(`${CORPUS}valid/${name}.http`));
    const { cfg, requests } = expected[`valid/${name}`]!;
    const want = requests!;
    const difference = DIFFERENT[`valid/${name}`];
    if (difference === undefined) return expectRequests(await replay(cfg, data, want.length), want, false);
    if (difference.corral === 'accepted') {
      const result = await replay(cfg, data, want.length);
      expect(result.responses.map((r) => r.status)).toEqual(want.map(() => 200));
      return;
    }
    const result = await replay(cfg, data);
    expect(result.responses.filter((r) => r.status === 200).length).toBeLessThan(want.length);
    expect(result.responses.some((r) => r.status >= 500)).toBe(false);
    expect(result.timedOut).toBe(false);
    if (difference.fixed === 'host') expectRequests(await replay(cfg, withHost(data), want.length), want, true);
    if (difference.fixed === 'content-length') {
      const [fixed, fixedWant] = withBodyLength(data, want);
      expectRequests(await replay(cfg, fixed, want.length), fixedWant, false);
    }
  });
});

describe("gunicorn's invalid requests", () => {
  it.each(cases('invalid'))('%s', async (name) => {
    const data = corpusBytes(readFileSync(`${CORPUS}invalid/${name}.http`));
    const { cfg, error } = expected[`invalid/${name}`]!;
    expect(error).toBeTypeOf('string');
    const difference = DIFFERENT[`invalid/${name}`];
    const result = await replay(cfg, data);
    if (difference?.corral === 'accepted') {
      expect(result.timedOut).toBe(false);
      expect(result.responses[0]?.status).toBe(200);
      return;
    }
    expectRefused(result);
  });
});

describe('after the corpus', () => {
  it('every corpus file has its expectation, every difference names a file, and one worker served them all', async () => {
    for (const name of cases('valid')) expect(expected[`valid/${name}`]?.requests).toBeDefined();
    for (const name of cases('invalid')) expect(expected[`invalid/${name}`]?.error).toBeDefined();
    for (const key of Object.keys(DIFFERENT)) expect(Object.keys(expected)).toContain(key);
    // Each corral still answers with the worker it started with: none died.
    for (const server of servers.values()) {
      const running = await server;
      const [worker] = (await running.waitFor((line) => line.msg === 'ready')).workers as number[];
      const port = Number(new URL(running.url).port);
      const after = await exchange(port, Buffer.from('GET /after HTTP/1.1\r\nHost: a\r\n\r\n'), { responses: 1 });
      expect(echoOf(after.responses[0]!.body).pid).toBe(worker);
      expect(running.logs.filter((line) => line.msg?.startsWith('worker died') === true)).toEqual([]);
      // Nothing corral answered was its own failure.
      expect(running.logs.filter((line) => line.msg === 'request' && Number(line.status) >= 500)).toEqual([]);
    }
  });
});
