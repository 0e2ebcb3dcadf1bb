// Shared by the static path fuzz tests: a tree with secrets all around the served roots, a generator of hostile request paths, and the seed that replays a run.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { StaticMount } from '../../src/config/types.ts';

/** Every file a static request may be answered with starts with this; everything else starts with FORBIDDEN. */
export const ALLOWED = 'ALLOWED';
export const FORBIDDEN = 'FORBIDDEN';

export interface FuzzTree {
  /** The temp directory holding everything. */
  base: string;
  /** static-map mounts, check-static and static-safe directories, as the handler takes them. */
  mounts: StaticMount[];
  checkStatic: string[];
  safe: string[];
  /** The content of every file that may be served (each one distinct). */
  allowedBodies: Set<string>;
  remove(): void;
}

/**
 * The tree (relative to a fresh temp directory):
 *
 *     root/            mounted at /static, /café and (through the `current` symlink's sibling) nowhere else
 *     nested/          mounted at /static/nested (a mount inside another mount's URL space)
 *     releases/1/      mounted through current -> releases/1 at /current (a deploy symlink as root)
 *     releases/2/      the previous release: outside every root
 *     check/           check-static
 *     safe/            static-safe: symlinks in root may lead here
 *     root-private/    a sibling whose name starts with the root's
 *     outside/         secrets, the targets of escaping symlinks
 *     secret.txt       in the parent of every root
 *
 * Hidden names (.env, .git/config, sub/.hidden, safe/.secret) are FORBIDDEN too, wherever they are.
 */
export function createFuzzTree(): FuzzTree {
  const base = mkdtempSync(path.join(tmpdir(), 'corral-path-fuzz-'));
  const allowedBodies = new Set<string>();
  const file = (relative: string, allowed: boolean) => {
    const target = path.join(base, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    const body = `${allowed ? ALLOWED : FORBIDDEN} ${relative}\n`;
    writeFileSync(target, body);
    if (allowed) allowedBodies.add(body);
  };
  const link = (target: string, at: string) => symlinkSync(target, path.join(base, at));

  file('root/a.txt', true);
  file('root/a b.txt', true);
  file('root/caf\u00e9.txt', true); // NFC; its NFD spelling 'cafe\u0301.txt' names no file on Linux
  file('root/a..', true);
  file('root/%2e%2e/inner.txt', true); // a directory literally named %2e%2e, reached by double encoding
  file('root/dir/index.html', true);
  file('root/dir/page.txt', true);
  file('root/sub/visible.txt', true);
  file('root/sub/.hidden', false);
  file('root/.env', false);
  file('root/.git/config', false);
  file('root/..a', false);
  file('nested/n.txt', true);
  file('releases/1/r.txt', true);
  file('releases/2/old.txt', false);
  file('check/c.txt', true);
  file('check/.env', false);
  file('safe/shared.txt', true);
  file('safe/.secret', false);
  file('root-private/key.txt', false);
  file('outside/secret.txt', false);
  file('outside/index.html', false);
  file('secret.txt', false);

  link('a.txt', 'root/link-in.txt');
  link('dir', 'root/link-dir');
  link('.', 'root/link-self');
  link('../outside/secret.txt', 'root/link-out.txt');
  link('../outside', 'root/dir-out');
  link('../root-private/key.txt', 'root/link-sibling.txt');
  link('..', 'root/link-parent');
  link(path.join(base, 'outside', 'secret.txt'), 'root/link-abs.txt');
  link('/', 'root/link-fs-root');
  link('../safe/shared.txt', 'root/link-safe.txt');
  link('../safe', 'root/link-safe-dir');
  link('../safe/.secret', 'root/link-safe-hidden');
  link('.env', 'root/link-dotenv.txt');
  mkdirSync(path.join(base, 'root', 'escaping-index'));
  link('../../outside/index.html', 'root/escaping-index/index.html');
  link('missing.txt', 'root/dangling');
  link('loop-b', 'root/loop-a');
  link('loop-a', 'root/loop-b');
  link('../outside/secret.txt', 'safe/back-out.txt');
  link('../2/old.txt', 'releases/1/link-prev');
  link('releases/1', 'current');
  link('../outside/secret.txt', 'check/out.txt');
  link('..', 'check/up');

  const dir = (relative: string) => path.join(base, relative);
  return {
    base,
    mounts: [
      { prefix: '/static', dir: dir('root') },
      { prefix: '/static/nested', dir: dir('nested') },
      { prefix: '/caf\u00e9', dir: dir('root') },
      { prefix: '/current', dir: dir('current') },
    ],
    checkStatic: [dir('check')],
    safe: [dir('safe')],
    allowedBodies,
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Names that exist somewhere in the tree, so that generated paths often reach a real file or symlink. */
const NAMES = [
  'a.txt',
  'a b.txt',
  'a%20b.txt',
  'caf\u00e9.txt',
  'caf%C3%A9.txt',
  'cafe\u0301.txt',
  'a..',
  '%2e%2e',
  '%252e%252e',
  'inner.txt',
  'dir',
  'page.txt',
  'index.html',
  'sub',
  'visible.txt',
  '.hidden',
  '.env',
  '.git',
  'config',
  '..a',
  'n.txt',
  'r.txt',
  'old.txt',
  'c.txt',
  'shared.txt',
  '.secret',
  'key.txt',
  'secret.txt',
  'link-in.txt',
  'link-dir',
  'link-self',
  'link-out.txt',
  'dir-out',
  'link-sibling.txt',
  'link-parent',
  'link-abs.txt',
  'link-fs-root',
  'link-safe.txt',
  'link-safe-dir',
  'link-safe-hidden',
  'link-dotenv.txt',
  'escaping-index',
  'dangling',
  'loop-a',
  'back-out.txt',
  'link-prev',
  'out.txt',
  'up',
  'root',
  'root-private',
  'nested',
  'releases',
  '1',
  '2',
  'current',
  'check',
  'safe',
  'outside',
  'static',
  'etc',
  'passwd',
];

/** Pieces that have broken path handling somewhere: dot segments in every spelling, encoded separators, NUL, overlong UTF-8, look-alikes. */
const DANGEROUS = [
  '..',
  '.',
  '...',
  '%2e',
  '%2E',
  '%2e%2e',
  '%2E%2e',
  '%2e%2E',
  '.%2e',
  '%2e.',
  '%252e%252e',
  '%252e',
  '%25',
  '%',
  '%2',
  '%zz',
  '%u002e%u002e', // IIS's %u escapes
  '%00',
  '\0',
  '..%00',
  'a.txt%00.png',
  '%c0%ae%c0%ae', // overlong '..'
  '%c0%af', // overlong '/'
  '%e0%80%af',
  '%e0%80%ae',
  '%f0%80%80%af',
  '%c1%9c', // overlong '\'
  '%c0%2e',
  '%ed%a0%80', // a surrogate half in UTF-8
  '%ff',
  '%fe%ff',
  '%ef%bc%8e%ef%bc%8e', // fullwidth '..' encoded
  '\uff0e\uff0e', // fullwidth '..'
  '\u2024\u2024', // one dot leaders
  '..;',
  '%3b',
  '..%2f',
  '..%5c',
  '%2e%2e%2f',
  '%2e%2e%5c',
  '\\..',
  '..\\',
  'C:',
  'C:\\',
  '~',
  '%7e',
  'a'.repeat(255),
  'a'.repeat(256),
  'b'.repeat(5000),
];

/** What goes between segments: '/', and everything that is, or was once taken for, a separator. */
const SEPARATORS = [
  '/',
  '/',
  '/',
  '//',
  '%2f',
  '%2F',
  '\\',
  '%5c',
  '%5C',
  '/./',
  '%252f',
  '\uff0f',
  '\u2215',
  '%c0%af',
  '/;/',
];

/** How a path starts: each mount prefix in several spellings, and targets no mount claims. */
const PREFIXES = [
  '/static',
  '/static',
  '/static',
  '/static',
  '/static/nested',
  '/current',
  '/caf\u00e9',
  '/caf%C3%A9',
  '/caf%c3%a9',
  '/Static',
  '/%73tatic',
  '/static%2f',
  '',
  '',
  '//',
  'http://localhost/static',
];

const segment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 5, arbitrary: fc.constantFrom(...DANGEROUS) },
  { weight: 1, arbitrary: fc.webSegment() },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);

/** Percent-encodes the code points whose mask bit is set (hex case chosen by the mask too); '%' becomes '%25', a double encoding. */
function encodeSome(text: string, mask: readonly number[]): string {
  if (mask.length === 0) return text;
  let out = '';
  let i = 0;
  for (const char of text) {
    const bits = mask[i++ % mask.length] ?? 0;
    const code = char.codePointAt(0) ?? 0;
    const surrogate = code >= 0xd800 && code <= 0xdfff; // a lone half has no UTF-8 form
    if ((bits & 1) === 0 || surrogate) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) {
      const hex = byte.toString(16).padStart(2, '0');
      out += `%${(bits & 2) === 0 ? hex : hex.toUpperCase()}`;
    }
  }
  return out;
}

/**
 * Paths (below a mount or check-static) that name something in the tree: plain files, symlinks inside, into static-safe
 * and out of every root, and climbs. Mutating these reaches real files far more often than random segments do.
 */
const ROUTES = [
  'a.txt',
  'a%20b.txt',
  'caf%C3%A9.txt',
  'a..',
  '%252e%252e/inner.txt',
  'dir/',
  'dir',
  'dir/page.txt',
  'sub/visible.txt',
  'sub/.hidden',
  '.env',
  'link-in.txt',
  'link-dir/page.txt',
  'link-dir/',
  'link-self/link-self/a.txt',
  'link-safe.txt',
  'link-safe-dir/shared.txt',
  'link-safe-dir/back-out.txt',
  'link-safe-dir/.secret',
  'link-safe-hidden',
  'link-dotenv.txt',
  'link-out.txt',
  'link-abs.txt',
  'link-sibling.txt',
  'dir-out/secret.txt',
  'dir-out/',
  'link-parent/outside/secret.txt',
  'link-parent/root-private/key.txt',
  'link-parent/secret.txt',
  'link-parent/root/a.txt',
  'link-fs-root/etc/passwd',
  'escaping-index/',
  'dangling',
  'loop-a',
  'n.txt',
  'r.txt',
  'link-prev',
  'c.txt',
  'out.txt',
  'up/outside/secret.txt',
  'up/check/c.txt',
  '../outside/secret.txt',
  '../root-private/key.txt',
  '../secret.txt',
  '../releases/2/old.txt',
];

/** Detours inserted between a route's segments: many leave the route's meaning alone, the others climb or break it. */
const DETOUR = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('x/..', '.', '%2e', 'x/%2e%2e', 'x/.%2e', 'dir/..', 'link-parent/root', 'link-self', ''),
  },
  { weight: 1, arbitrary: fc.constantFrom('..', ...DANGEROUS) },
);

const separator = fc.oneof(
  { weight: 20, arbitrary: fc.constant('/') },
  { weight: 1, arbitrary: fc.constantFrom(...SEPARATORS) },
);

/** A route with detours inserted and its separators sometimes swapped. */
const mutatedRoute = fc
  .tuple(
    fc.constantFrom(...ROUTES),
    fc.array(fc.tuple(fc.nat(8), DETOUR), { maxLength: 2 }),
    fc.array(separator, { minLength: 12, maxLength: 12 }),
  )
  .map(([route, detours, separators]) => {
    const segments = route.split('/');
    for (const [at, detour] of detours) segments.splice(at % (segments.length + 1), 0, detour);
    return segments.map((name, i) => (separators[i % separators.length] ?? '/') + name).join('');
  });

/** Up to 8 segments of anything, joined by any separator. */
const randomSegments = fc
  .array(fc.tuple(fc.constantFrom(...SEPARATORS), segment), { minLength: 0, maxLength: 8 })
  .map((parts) => parts.map(([sep, name]) => sep + name).join(''));

/** A raw request path (query included, sometimes), as a hostile client would send it. */
export const hostilePath: fc.Arbitrary<string> = fc
  .record({
    prefix: fc.constantFrom(...PREFIXES),
    rest: fc.oneof({ weight: 3, arbitrary: mutatedRoute }, { weight: 2, arbitrary: randomSegments }),
    trailing: fc.constantFrom('', '', '', '', '', '', '/', '//', '%2f', '\\'),
    query: fc.constantFrom('', '', '', '?x=1', '?../../outside/secret.txt', '#frag', '?', '%3f'),
    // Sometimes percent-encode a random choice of characters after the prefix, in either hex case.
    mask: fc.oneof(
      { weight: 3, arbitrary: fc.constant([] as number[]) },
      { weight: 1, arbitrary: fc.array(fc.nat(3), { minLength: 1, maxLength: 16 }) },
    ),
  })
  .map(({ prefix, rest, trailing, query, mask }) => prefix + encodeSome(rest + trailing, mask) + query);

/** The seed of this run: CORRAL_FUZZ_SEED replays a failure, else a fresh one. */
export function fuzzSeed(): number {
  const given = process.env.CORRAL_FUZZ_SEED;
  if (given !== undefined && given !== '') return Number(given) | 0;
  return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
}

/** numRuns: CORRAL_FUZZ_RUNS overrides the default (for a longer run by hand). */
export function fuzzRuns(defaultRuns: number): number {
  const given = Number(process.env.CORRAL_FUZZ_RUNS);
  return Number.isInteger(given) && given > 0 ? given : defaultRuns;
}

/** fast-check's options for one property: the seed, the count, and CORRAL_FUZZ_PATH to jump straight to a shrunk case. */
export function fuzzParameters(seed: number, numRuns: number): { seed: number; numRuns: number; path?: string } {
  const replayPath = process.env.CORRAL_FUZZ_PATH;
  return replayPath ? { seed, numRuns, path: replayPath } : { seed, numRuns };
}
