// Property-based fuzzing (fast-check) of static path resolution: whatever the request path, no file outside a root or a static-safe directory is ever opened.
//
// Each run uses a new seed and prints it ("path fuzz seed: N"). To replay a failure, run with the seed fast-check
// reported (or the printed one), and optionally the counterexample path it printed, which skips straight to the
// shrunk case:
//
//     CORRAL_FUZZ_SEED=N npx vitest run --project unit src/static/resolve-path.fuzz.test.ts
//     CORRAL_FUZZ_SEED=N CORRAL_FUZZ_PATH='0:1:2' npx vitest run --project unit src/static/resolve-path.fuzz.test.ts -t 'name'
//
// CORRAL_FUZZ_RUNS=200000 runs longer. The same property goes through a real listener in test/static/path-fuzz.test.ts.
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALLOWED,
  createFuzzTree,
  fuzzParameters,
  fuzzRuns,
  fuzzSeed,
  hostilePath,
  type FuzzTree,
} from '../../test/static/path-fuzz.ts';
import { DEFAULT_INDEXES, lookupFile, type LookupRules } from './lookup.ts';
import { buildMountTable, matchMount, type MountTable } from './mount-table.ts';
import { isInside, resolveStaticPath, stripQuery } from './resolve-path.ts';

const seed = fuzzSeed();
const runs = fuzzRuns(10_000);
console.log(`path fuzz seed: ${seed} (${runs} cases per property; replay with CORRAL_FUZZ_SEED=${seed})`);

let tree: FuzzTree;
let tables: MountTable[];
let rules: LookupRules;
/** Real paths of everything a served file may lie under: the mount and check-static roots, and static-safe. */
let allowedRoots: string[];

beforeAll(() => {
  tree = createFuzzTree();
  const realpath = (dir: string) => Promise.resolve(realpathSync(dir));
  // As the handler builds them: the static-map table first, then one "/" table per check-static directory.
  tables = [
    buildMountTable(tree.mounts, realpath),
    ...tree.checkStatic.map((dir) => buildMountTable([{ prefix: '/', dir }], realpath)),
  ];
  rules = { indexes: DEFAULT_INDEXES, safeRoots: tree.safe.map((dir) => realpathSync(dir)) };
  allowedRoots = [...tree.mounts.map((mount) => realpathSync(mount.dir)), ...rules.safeRoots];
  allowedRoots.push(...tree.checkStatic.map((dir) => realpathSync(dir)));
});

afterAll(() => tree?.remove());

/** What became of a path: no mount claimed it, refused (400), dotfile (to the app), a symlink leading out caught, nothing there, or served. */
type Outcome = 'no-mount' | 'refused' | 'dotfile' | 'outside-caught' | 'not-served' | 'served' | 'served-from-safe';

/**
 * The handler's lookup (src/static/handler.ts, lookUp and findFile) without the HTTP around it: every table in
 * turn, the first file found wins. Checks each step's promise on the way and returns what happened.
 */
async function resolveAndCheck(target: string): Promise<Outcome> {
  const rawPath = stripQuery(target);
  let matched = false;
  let outside = false;
  for (const table of tables) {
    const match = matchMount(table, rawPath);
    if (match === undefined) continue;
    matched = true;
    const resolved = resolveStaticPath(match.entry.dir, match.remainder);
    if (!resolved.ok) return resolved.reason === 'dotfile' ? 'dotfile' : 'refused';
    // Before any disk access: the file lies lexically under the mount directory, with clean segments.
    expect(isInside(match.entry.dir, resolved.file)).toBe(true);
    for (const segment of resolved.segments) {
      expect(segment === '' || segment === '.' || segment === '..' || segment.startsWith('.')).toBe(false);
      expect(/[\0\\/]/.test(segment)).toBe(false);
    }
    const found = await lookupFile(await match.entry.realRoot(), resolved.file, rules);
    if (found.kind === 'outside') outside = true;
    if (found.kind !== 'found') continue;
    const { file } = found;
    try {
      // Checked independently of lookup.ts: the real path, symlinks resolved again, is under an allowed root...
      const real = realpathSync(file.realPath);
      const root = allowedRoots.find((dir) => isInside(dir, real));
      expect(root, `${target} opened ${real}`).toBeDefined();
      // ...names nothing hidden below it, and what was opened is an allowed file (reading by path, not the handle).
      const below = path.relative(root ?? '', real).split(path.sep);
      expect(below.some((segment) => segment.startsWith('.'))).toBe(false);
      expect(readFileSync(real, 'utf8').startsWith(ALLOWED), `${target} opened ${real}`).toBe(true);
      const buffer = Buffer.alloc(ALLOWED.length);
      await file.handle.read(buffer, 0, buffer.length, 0);
      expect(buffer.toString()).toBe(ALLOWED);
      return rules.safeRoots.includes(root ?? '') ? 'served-from-safe' : 'served';
    } finally {
      await file.handle.close();
    }
  }
  if (outside) return 'outside-caught';
  return matched ? 'not-served' : 'no-mount';
}

describe('static path resolution under fuzzing', () => {
  it('never opens a file outside a root or static-safe, nor a hidden one, and never throws', async () => {
    const outcomes = new Map<Outcome, number>();
    await fc.assert(
      fc.asyncProperty(hostilePath, async (target) => {
        const outcome = await resolveAndCheck(target);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      fuzzParameters(seed, runs),
    );
    console.log('path fuzz outcomes:', Object.fromEntries(outcomes));
    // The generator must reach files, symlinks into static-safe and refusals, or the property proves little.
    expect(outcomes.get('served') ?? 0).toBeGreaterThan(runs / 100);
    expect(outcomes.get('served-from-safe') ?? 0).toBeGreaterThan(0);
    expect(outcomes.get('refused') ?? 0).toBeGreaterThan(runs / 100);
    expect(outcomes.get('outside-caught') ?? 0).toBeGreaterThan(runs / 100);
  });

  it('resolveStaticPath keeps any string at all under the root, or refuses it', () => {
    const root = '/srv/static';
    const anyText = fc.oneof(hostilePath, fc.string({ unit: 'binary', maxLength: 64 }), fc.webPath());
    fc.assert(
      fc.property(anyText, (raw) => {
        const resolved = resolveStaticPath(root, raw);
        if (!resolved.ok) return;
        expect(isInside(root, resolved.file)).toBe(true);
        expect(resolved.file).toBe(path.join(root, ...resolved.segments));
        expect(resolved.segments.every((s) => s !== '' && !s.startsWith('.') && !/[\0\\/]/.test(s))).toBe(true);
      }),
      fuzzParameters(seed, runs),
    );
  });

  it('percent-encoding more characters, in either hex case, never changes what a path resolves to', () => {
    const root = '/srv/static';
    // Walks the path one escape (%XX) or code point at a time. Where the mask bit is set, an escape has its hex case
    // changed and a code point is encoded; a lone '%' (encoding it would double-encode) and a final '/' stay as sent.
    const encodeMore = (raw: string, mask: boolean[], upper: boolean) => {
      const tokens = raw.match(/%[0-9a-fA-F]{2}|[\s\S]/gu) ?? [];
      const recase = (hex: string) => (upper ? hex.toUpperCase() : hex.toLowerCase());
      return tokens
        .map((token, i) => {
          if (!mask[i % mask.length]) return token;
          if (token.length === 3) return `%${recase(token.slice(1))}`;
          const keep =
            token === '%' || (token === '/' && i === tokens.length - 1) || isSurrogate(token.codePointAt(0) ?? 0);
          return keep ? token : recase(Buffer.from(token, 'utf8').toString('hex')).replace(/../g, '%$&');
        })
        .join('');
    };
    fc.assert(
      fc.property(
        hostilePath.map(stripQuery),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
        fc.boolean(),
        (raw, mask, upper) => {
          expect(resolveStaticPath(root, encodeMore(raw, mask, upper))).toEqual(resolveStaticPath(root, raw));
        },
      ),
      fuzzParameters(seed, runs),
    );
  });
});

function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}
