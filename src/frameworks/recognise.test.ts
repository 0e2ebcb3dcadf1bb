// Tests that each framework's build is recognised by its files, and that a project with no usable build says what to do.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { recogniseFramework } from './recognise.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project directory holding `files` (path → content; a path ending in "/" is a directory). */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'corral-framework-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    if (path.endsWith('/')) mkdirSync(join(dir, path), { recursive: true });
    else {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
  }
  return dir;
}

const manifest = (...names: string[]) =>
  JSON.stringify({ dependencies: Object.fromEntries(names.map((name) => [name, '1.0.0'])) });

describe('each framework, from its build output', () => {
  test('Next.js: .next/BUILD_ID; corral glue, /_next/static mapped and immutable, public/ checked', () => {
    const dir = project({ '.next/BUILD_ID': 'abc', '.next/static/chunks/': '', 'public/': '', 'next.config.mjs': '' });
    expect(recogniseFramework(dir, 'auto')).toMatchObject({
      name: 'next',
      evidence: '.next/BUILD_ID',
      module: { file: '.', glue: true },
      staticMap: [{ prefix: '/_next/static', dir: '.next/static' }],
      checkStatic: ['public'],
      immutable: [{ dir: '.next/static' }],
    });
  });

  test('Nuxt: .output/nitro.json with the node-listener preset; its listener export, .output/public', () => {
    const dir = project({
      '.output/nitro.json': JSON.stringify({ preset: 'node-listener', framework: { name: 'nuxt' } }),
      '.output/server/index.mjs': '',
      '.output/public/_nuxt/': '',
    });
    expect(recogniseFramework(dir, 'auto')).toMatchObject({
      name: 'nuxt',
      module: { file: '.output/server/index.mjs', glue: true },
      checkStatic: ['.output/public'],
      immutable: [{ dir: '.output/public/_nuxt', except: ['builds/latest.json'] }],
    });
  });

  test('Nuxt built with a preset that listens by itself is refused, saying how to rebuild', () => {
    const dir = project({ '.output/nitro.json': JSON.stringify({ preset: 'node-server' }) });
    expect(recogniseFramework(dir, 'auto')).toMatchObject({
      problem: expect.stringMatching(/NITRO_PRESET=node-listener/),
    });
  });

  test('SvelteKit with adapter-node: build/handler.js, X-Forwarded-Proto added, the proxy headers named', () => {
    const dir = project({
      'package.json': manifest('@sveltejs/kit', '@sveltejs/adapter-node'),
      'build/handler.js': '',
      'build/client/_app/immutable/': '',
    });
    expect(recogniseFramework(dir, 'auto')).toMatchObject({
      name: 'sveltekit',
      module: { file: 'build/handler.js', exportName: 'handler' },
      checkStatic: ['build/client'],
      immutable: [{ dir: 'build/client/_app/immutable' }],
      env: { PROTOCOL_HEADER: 'x-forwarded-proto', HOST_HEADER: 'x-forwarded-host' },
      forwardedProto: true,
    });
  });

  test('Astro: dist/server/entry.mjs and its handler, dist/client, autostart off', () => {
    const dir = project({
      'package.json': manifest('astro', '@astrojs/node'),
      'dist/server/entry.mjs': '',
      'dist/client/_astro/': '',
    });
    expect(recogniseFramework(dir, 'auto')).toMatchObject({
      name: 'astro',
      module: { file: 'dist/server/entry.mjs', exportName: 'handler' },
      checkStatic: ['dist/client'],
      immutable: [{ dir: 'dist/client/_astro' }],
      env: { ASTRO_NODE_AUTOSTART: 'disabled' },
    });
  });

  test('React Router: build/server/index.js through corral glue, build/client', () => {
    const dir = project({
      'package.json': JSON.stringify({ devDependencies: { '@react-router/dev': '7.0.0' } }),
      'build/server/index.js': '',
      'build/client/assets/': '',
    });
    expect(recogniseFramework(dir, 'auto')).toMatchObject({
      name: 'react-router',
      module: { file: 'build/server/index.js', glue: true },
      checkStatic: ['build/client'],
      immutable: [{ dir: 'build/client/assets' }],
    });
  });

  test('TanStack Start: dist/server/server.js as a fetch app, dist/client', () => {
    const dir = project({
      'package.json': manifest('@tanstack/react-start'),
      'dist/server/server.js': '',
      'dist/client/assets/': '',
    });
    expect(recogniseFramework(dir, 'auto')).toMatchObject({
      name: 'tanstack-start',
      module: { file: 'dist/server/server.js' },
      immutable: [{ dir: 'dist/client/assets' }],
    });
  });

  test('NestJS: recognised only to ask for the module that exports its server', () => {
    const dir = project({ 'package.json': manifest('@nestjs/core'), 'dist/main.js': '' });
    expect(recogniseFramework(dir, 'auto')).toMatchObject({ problem: expect.stringMatching(/app\.getHttpServer\(\)/) });
  });
});

describe('what is not a usable build', () => {
  test('a plain directory is no framework for "auto"', () => {
    expect(recogniseFramework(project({ 'app.mjs': '' }), 'auto')).toBeUndefined();
  });

  test.each([
    ['next', { 'next.config.js': '' }, /run `next build` first/],
    ['sveltekit', { 'package.json': manifest('@sveltejs/kit', '@sveltejs/adapter-node') }, /run `vite build` first/],
    ['astro', { 'package.json': manifest('astro') }, /without @astrojs\/node/],
    ['tanstack-start', { 'package.json': manifest('@tanstack/react-start') }, /run `vite build` first/],
  ] as const)('a %s project that is not built says what to run', (_name, files, message) => {
    expect(recogniseFramework(project(files), 'auto')).toMatchObject({ problem: expect.stringMatching(message) });
  });

  test('a named framework that is not there is a problem, not a guess at another', () => {
    const dir = project({ 'package.json': manifest('astro'), 'dist/server/entry.mjs': '' });
    expect(recogniseFramework(dir, 'next')).toEqual({
      title: 'Next.js',
      problem: 'no Next.js project or build is there',
    });
  });
});
