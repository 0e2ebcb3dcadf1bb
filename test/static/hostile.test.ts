// Sends hostile request targets byte for byte to a real listener: each gets a 400 or falls through, none reaches a file outside.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureTree } from './fixture-tree.ts';
import { rawStatus, request } from './http-client.ts';
import { startMountedPair, type MountedPair, type TestServer } from './test-server.ts';

let pair: MountedPair;
let tree: FixtureTree;
let rootMounted: TestServer;
let prefixMounted: TestServer;

beforeAll(async () => {
  pair = await startMountedPair();
  ({ tree, rootMounted, prefixMounted } = pair);
});

afterAll(async () => {
  await pair?.close();
});

const badRequests = [
  '/../outside/secret.txt',
  '/../../../../etc/passwd',
  '/%2e%2e/outside/secret.txt',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/..%2foutside%2fsecret.txt',
  '/%2e%2e%2foutside/secret.txt',
  '/.%2e/outside/secret.txt',
  '/dir/../../outside/secret.txt',
  '/%2e%2e%5coutside%5csecret.txt',
  '/..\\outside\\secret.txt',
  '/a.txt%00.png',
  '/%c0%ae%c0%ae/outside/secret.txt',
  '/%ff',
  '/a%2',
];

const fallThroughs = ['/%252e%252e/outside/secret.txt', '/.env', '/%2eenv', '/.git/config', '/dir/../.env'];

describe.each([
  ['a "/" mount', () => rootMounted, ''],
  ['a "/static" mount', () => prefixMounted, '/static'],
])('hostile targets under %s', (_label, server, prefix) => {
  it.each(badRequests)('%s gets 400', async (target) => {
    expect(await rawStatus(server().port, prefix + target)).toBe(400);
  });

  it.each(fallThroughs)('%s falls through', async (target) => {
    expect(await rawStatus(server().port, prefix + target)).toBe(404);
  });

  it('the 400 is a short text/plain answer', async () => {
    const reply = await request(server().port, `${prefix}/../outside/secret.txt`);
    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(reply.body.toString()).toBe('Bad Request\n');
  });

  it('a normalized path that stays inside is served', async () => {
    expect(await rawStatus(server().port, `${prefix}/dir/../a.txt`)).toBe(200);
    expect(await rawStatus(server().port, `${prefix}//a.txt`)).toBe(200);
    expect(await rawStatus(server().port, `${prefix}/./dir/./page.txt`)).toBe(200);
  });

  it('hostile targets with other methods fall through untouched', async () => {
    expect(await rawStatus(server().port, `${prefix}/../outside/secret.txt`, 'POST')).toBe(404);
  });
});

it('a directory redirect never leads to another host: leading slashes are collapsed', async () => {
  mkdirSync(path.join(tree.root, 'evil.example'));
  writeFileSync(path.join(tree.root, 'evil.example', 'index.html'), 'not a host\n');
  for (const target of ['//evil.example', '///evil.example', '//dir']) {
    const reply = await request(rootMounted.port, target);
    expect(reply.status, target).toBe(301);
    expect(reply.headers.location, target).toBe(`${target.replace(/^\/+/, '/')}/`);
  }
});

it('a literal %2e%2e directory name is looked up inside the root, never decoded twice', async () => {
  mkdirSync(path.join(tree.root, '%2e%2e'));
  writeFileSync(path.join(tree.root, '%2e%2e', 'x.txt'), 'literal\n');
  const reply = await request(rootMounted.port, '/%252e%252e/x.txt');
  expect(reply.status).toBe(200);
  expect(reply.body.toString()).toBe('literal\n');
});
