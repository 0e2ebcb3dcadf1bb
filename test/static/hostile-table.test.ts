// The hostile-paths table: 60+ request targets sent byte for byte, each refused (400) or passed to the app, none reading outside the root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawReply } from './http-client.ts';
import { startMountedPair, type MountedPair, type TestServer } from './test-server.ts';

let pair: MountedPair;
let rootMounted: TestServer;
let prefixMounted: TestServer;

beforeAll(async () => {
  pair = await startMountedPair();
  ({ rootMounted, prefixMounted } = pair);
});

afterAll(async () => {
  await pair?.close();
});

/** 400: refused as malformed or hostile. 404: not served, the request went on to the app (the test server's 404). */
type Expected = 400 | 404;

const table: [group: string, target: string, expected: Expected][] = [
  ['dot-dot', '/../outside/secret.txt', 400],
  ['dot-dot', '/../../../../etc/passwd', 400],
  ['dot-dot', '/%2e%2e/outside/secret.txt', 400],
  ['dot-dot', '/%2E%2E/outside/secret.txt', 400],
  ['dot-dot', '/.%2e/outside/secret.txt', 400],
  ['dot-dot', '/%2e./outside/secret.txt', 400],
  ['dot-dot', '/..%2foutside%2fsecret.txt', 400],
  ['dot-dot', '/%2e%2e%2foutside%2fsecret.txt', 400],
  ['dot-dot', '/%2e%2e%2Foutside/secret.txt', 400],
  ['dot-dot', '/dir/../../outside/secret.txt', 400],
  ['dot-dot', '/dir/%2e%2e/%2e%2e/outside/secret.txt', 400],
  ['dot-dot', '/./../outside/secret.txt', 400],
  ['dot-dot', '/dir/./../../outside/secret.txt', 400],
  ['dot-dot', '/%252e%252e/outside/secret.txt', 404],
  ['dot-dot', '/..;/outside/secret.txt', 404],
  ['dot-dot', '/dir/..%2f..%2foutside/secret.txt', 400],
  ['nul', '/a.txt%00', 400],
  ['nul', '/a.txt%00.png', 400],
  ['nul', '/%00', 400],
  ['nul', '/../outside/secret.txt%00', 400],
  ['nul', '/dir%00/page.txt', 400],
  ['encoded slash', '/%2f%2e%2e%2foutside/secret.txt', 400],
  ['encoded slash', '/dir%2f..%2f..%2foutside%2fsecret.txt', 400],
  ['encoded slash', '/%2fetc%2fpasswd', 404],
  ['backslash', '/..\\outside\\secret.txt', 400],
  ['backslash', '/%5c..%5coutside%5csecret.txt', 400],
  ['backslash', '/..%5coutside%5csecret.txt', 400],
  ['backslash', '/dir\\..\\..\\outside\\secret.txt', 400],
  ['backslash', '/%5C%5Cserver%5Cshare', 400],
  ['overlong utf-8', '/%c0%ae%c0%ae/outside/secret.txt', 400],
  ['overlong utf-8', '/%c0%2e%c0%2e/outside/secret.txt', 400],
  ['overlong utf-8', '/%e0%80%ae%e0%80%ae/outside/secret.txt', 400],
  ['overlong utf-8', '/..%c0%afoutside%c0%afsecret.txt', 400],
  ['overlong utf-8', '/..%c1%9coutside%c1%9csecret.txt', 400],
  ['overlong utf-8', '/%f0%80%80%ae%f0%80%80%ae/outside', 400],
  ['bad escape', '/%ff', 400],
  ['bad escape', '/a%2', 400],
  ['bad escape', '/a%zz', 400],
  ['drive letter', '/C:/Windows/win.ini', 404],
  ['drive letter', '/C:%5CWindows%5Cwin.ini', 400],
  ['drive letter', '/c:\\windows\\win.ini', 400],
  ['drive letter', '/%43:/Windows/win.ini', 404],
  ['drive letter', '/C%3a/Windows/win.ini', 404],
  ['symlink out', '/link-out.txt', 404],
  ['symlink out', '/dir-out/secret.txt', 404],
  ['symlink out', '/dir-out/', 404],
  ['symlink out', '/link-sibling.txt', 404],
  ['symlink out', '/abs-link-out.html', 404],
  ['symlink out', '/escaping-index/', 404],
  ['symlink out', '/link-dotenv.txt', 404],
  ['symlink out', '/dangling.txt', 404],
  ['symlink out', '/loop-a', 404],
  ['sibling folder', '/../static-private/key.txt', 400],
  ['sibling folder', '/%2e%2e/static-private/key.txt', 400],
  ['sibling folder', '/..%2fstatic-private%2fkey.txt', 400],
  ['sibling folder', '/dir/../../static-private/key.txt', 400],
  ['dotfile', '/.env', 404],
  ['dotfile', '/%2eenv', 404],
  ['dotfile', '/%2Eenv', 404],
  ['dotfile', '/.git/config', 404],
  ['dotfile', '/.git/HEAD', 404],
  ['dotfile', '/%2egit/config', 404],
  ['dotfile', '/.git%2fconfig', 404],
  ['dotfile', '/sub/.hidden', 404],
  ['dotfile', '/sub/%2ehidden', 404],
  ['dotfile', '/dir/../.env', 404],
  ['dotfile', '/.git/', 404],
  ['special file', '/fifo', 404],
];

/** Contents of every file outside the root, and of hidden files inside it: none may ever appear in an answer. */
const SECRETS = ['outside secret', 'sibling secret', 'SECRET=1', '[core]', 'hidden\n', 'outside index'];

it('the table has at least 50 entries', () => {
  expect(table.length).toBeGreaterThanOrEqual(50);
});

describe.each([
  ['a "/" mount', () => rootMounted, ''],
  ['a "/static" mount', () => prefixMounted, '/static'],
])('under %s', (_label, server, prefix) => {
  it.each(table)('%s: %s -> %s', async (_group, target, expected) => {
    for (const method of ['GET', 'HEAD']) {
      const reply = await rawReply(server().port, prefix + target, method);
      expect(reply.status, `${method} ${target}`).toBe(expected);
      for (const secret of SECRETS) expect(reply.text).not.toContain(secret);
    }
  });
});

it('a URL prefix sharing the mount prefix never reaches the mount', async () => {
  expect((await rawReply(prefixMounted.port, '/static-private/key.txt')).status).toBe(404);
  expect((await rawReply(prefixMounted.port, '/staticx/a.txt')).status).toBe(404);
});
