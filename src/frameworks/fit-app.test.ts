// Tests that a SvelteKit build's app never sees a request for a hashed file that build/client no longer holds (its
// sirv would crash the worker streaming a file a new build removed): corral answers the kit's 404; anything else passes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { LoadedApp } from '../app/types.ts';
import type { FrameworkConfig } from '../config/types.ts';
import { fitForFramework } from './fit-app.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-fit-app-'));
mkdirSync(join(dir, 'build/client/_app/immutable/chunks'), { recursive: true });
writeFileSync(join(dir, 'build/client/_app/immutable/chunks/there.js'), 'export {};');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const framework = (name: FrameworkConfig['name']): FrameworkConfig => ({
  name,
  title: name,
  dir,
  evidence: 'build/handler.js',
  glue: false,
  env: {},
  forwardedProto: name === 'sveltekit',
});

/** Sends `method url` through the fitted app: what the app saw, and what was answered without it. */
function request(name: FrameworkConfig['name'], method: string, url: string) {
  const seen: string[] = [];
  const app: LoadedApp = {
    handler: (req) => {
      seen.push(String(req.url));
    },
    shape: 'connect',
    name: 'handler.js:handler',
  };
  const answer = { status: 0, headers: {} as Record<string, unknown>, body: undefined as unknown };
  const req = { method, url, headers: {}, rawHeaders: [], socket: {} } as unknown as IncomingMessage;
  const res = {
    set statusCode(code: number) {
      answer.status = code;
    },
    setHeader: (header: string, value: unknown) => {
      answer.headers[header] = value;
    },
    end: (body?: unknown) => {
      answer.body = body;
    },
  } as unknown as ServerResponse;
  void fitForFramework(app, framework(name)).handler(req, res);
  return { seen, answer };
}

describe('SvelteKit: hashed files a new build removed', () => {
  test('a missing /_app/immutable/ file gets the kit 404 from corral; the app never sees it', () => {
    const { seen, answer } = request('sveltekit', 'GET', '/_app/immutable/chunks/gone.B0kXm1Qz.js?v=1');
    expect(seen).toEqual([]);
    expect(answer).toEqual({
      status: 404,
      headers: { 'cache-control': 'public, max-age=0, must-revalidate' },
      body: 'Not found',
    });
    expect(request('sveltekit', 'HEAD', '/_app/immutable/entry/start.x.js').answer).toMatchObject({
      status: 404,
      body: undefined,
    });
  });

  test.each([
    ['a file build/client holds', 'GET', '/_app/immutable/chunks/there.js'],
    ['a page', 'GET', '/about'],
    ['another path under the appDir', 'GET', '/_app/version.json'],
    ['a POST', 'POST', '/_app/immutable/chunks/gone.js'],
    ['a path with a dot-dot segment', 'GET', '/_app/immutable/../../secret.js'],
    ['an encoded path', 'GET', '/_app/immutable/chunks/g%6Fne.js'],
  ])('%s goes to the app', (_what, method, url) => {
    const { seen, answer } = request('sveltekit', method, url);
    expect(seen).toEqual([url]);
    expect(answer.status).toBe(0);
  });

  test('another framework is left alone', () => {
    expect(request('astro', 'GET', '/_app/immutable/chunks/gone.js').seen).toEqual(['/_app/immutable/chunks/gone.js']);
  });
});
