// Table-driven checks of the pure path resolver: hostile and malformed paths are refused, ordinary ones map under the root.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside, resolveStaticPath, stripQuery, type RefusalReason } from './resolve-path.ts';

const ROOT = '/srv/static';

/** As the handler calls it: the query string is removed once, before the mount is matched. */
const resolve = (raw: string) => resolveStaticPath(ROOT, stripQuery(raw));

const refused: [label: string, raw: string, reason: RefusalReason][] = [
  ['plain climb', '/../etc/passwd', 'traversal'],
  ['bare ..', '/..', 'traversal'],
  ['encoded dots', '/%2e%2e/%2e%2e/etc/passwd', 'traversal'],
  ['upper-case encoded dots', '/%2E%2E/etc/passwd', 'traversal'],
  ['mixed encoded dot', '/.%2e/secret', 'traversal'],
  ['encoded slash after ..', '/..%2fsecret', 'traversal'],
  ['fully encoded ../', '/%2e%2e%2fsecret', 'traversal'],
  ['encoded leading slash then ..', '/%2f..%2fsecret', 'traversal'],
  ['climbs after descending', '/a/b/../../../x', 'traversal'],
  ['climb hidden in the middle', '/a/../../etc/passwd', 'traversal'],
  ['dot segments then climb', '/./../x', 'traversal'],
  ['trailing ..', '/a/../..', 'traversal'],
  ['encoded backslash after ..', '/%2e%2e%5csecret', 'backslash'],
  ['raw backslashes', '/..\\..\\secret', 'backslash'],
  ['encoded backslash alone', '/a%5cb.txt', 'backslash'],
  ['backslash drive path', '/C:\\Windows\\win.ini', 'backslash'],
  ['encoded NUL', '/a/%00.txt', 'nul-byte'],
  ['NUL after name', '/index.html%00.png', 'nul-byte'],
  ['overlong UTF-8 dots', '/%c0%ae%c0%ae/', 'bad-encoding'],
  ['overlong UTF-8 slash', '/..%c0%afetc', 'bad-encoding'],
  ['truncated escape', '/a%2', 'bad-encoding'],
  ['non-hex escape', '/a%zz', 'bad-encoding'],
  ['lone surrogate half', '/%ed%a0%80', 'bad-encoding'],
  ['invalid UTF-8 byte', '/%ff.txt', 'bad-encoding'],
  ['dotenv', '/.env', 'dotfile'],
  ['git config', '/.git/config', 'dotfile'],
  ['hidden in subdir', '/sub/.hidden', 'dotfile'],
  ['encoded dotfile', '/%2eenv', 'dotfile'],
  ['well-known goes to the app', '/.well-known/acme-challenge/x', 'dotfile'],
  ['triple dot', '/.../x', 'dotfile'],
  ['dotfile reached through ..', '/a/../.env', 'dotfile'],
  ['hidden directory', '/.ssh/', 'dotfile'],
];

const served: [label: string, raw: string, relative: string, trailingSlash: boolean][] = [
  ['root', '/', '', true],
  ['bare prefix', '', '', false],
  ['plain file', '/a.txt', 'a.txt', false],
  ['directory', '/dir/', 'dir', true],
  ['encoded space', '/a%20b.txt', 'a b.txt', false],
  ['unicode name', '/%C3%A9t%C3%A9/caf%C3%A9.txt', 'été/café.txt', false],
  ['emoji', '/%F0%9F%90%AE.txt', '🐮.txt', false],
  ['query stripped', '/a.txt?x=../../etc/passwd', 'a.txt', false],
  ['fragment stripped', '/a.txt#../x', 'a.txt', false],
  ['single dot segments', '/a/./b', 'a/b', false],
  ['climb that stays inside', '/a/b/../c.txt', 'a/c.txt', false],
  ['double slash', '//etc/passwd', 'etc/passwd', false],
  ['many slashes', '///a///b', 'a/b', false],
  ['double-encoded dots stay literal', '/%252e%252e/x', '%2e%2e/x', false],
  ['double-encoded slash stays literal', '/a%252fb', 'a%2fb', false],
  ['encoded slash is a separator', '/a%2fb.txt', 'a/b.txt', false],
  ['drive-letter lookalike is a plain name', '/C:/Windows', 'C:/Windows', false],
  ['name with inner dots', '/a..b/c.d.e', 'a..b/c.d.e', false],
  ['name ending with a dot', '/file.', 'file.', false],
  ['hidden segment removed by ..', '/.git/../x', 'x', false],
  ['plus is not a space', '/a+b.txt', 'a+b.txt', false],
];

describe('resolveStaticPath refuses', () => {
  it.each(refused)('%s: %s', (_label, raw, reason) => {
    expect(resolve(raw)).toEqual({ ok: false, reason });
  });
});

describe('resolveStaticPath maps under the root', () => {
  it.each(served)('%s: %s', (_label, raw, relative, trailingSlash) => {
    const result = resolve(raw);
    expect(result).toMatchObject({ ok: true, file: path.join(ROOT, relative), trailingSlash });
    if (result.ok) expect(isInside(ROOT, result.file)).toBe(true);
  });
});

describe('isInside', () => {
  it('accepts the root and what is below it', () => {
    expect(isInside('/srv/static', '/srv/static')).toBe(true);
    expect(isInside('/srv/static', '/srv/static/a/b')).toBe(true);
    expect(isInside('/srv/static', '/srv/static/..a')).toBe(true);
  });
  it('rejects a sibling that shares the prefix, the parent and unrelated paths', () => {
    expect(isInside('/srv/static', '/srv/static-private/x')).toBe(false);
    expect(isInside('/srv/static', '/srv/staticky')).toBe(false);
    expect(isInside('/srv/static', '/srv')).toBe(false);
    expect(isInside('/srv/static', '/etc/passwd')).toBe(false);
  });
});

describe('stripQuery', () => {
  it('keeps the path only', () => {
    expect(stripQuery('/a?b#c')).toBe('/a');
    expect(stripQuery('/a#c?b')).toBe('/a');
    expect(stripQuery('/a')).toBe('/a');
  });
});
