// Where packed files go under CORRAL_PACK_DIR, and which package a bundled file belongs to.
import { describe, expect, it } from 'vitest';
import { packageOf } from './bundle-plugin.ts';
import { packedPath } from './project.ts';

describe('packedPath', () => {
  it('keeps a path inside the root relative (the root itself empty), and puts one outside under _/', () => {
    expect(packedPath('/srv/app', '/srv/app/src/data')).toBe('src/data');
    expect(packedPath('/srv/app', '/srv/shared/x.txt')).toBe('_/srv/shared/x.txt');
    expect(packedPath('/srv/app', '/srv/app')).toBe('');
  });
});

describe('packageOf', () => {
  it('names the last package in the path, scoped or not, and nothing for the app itself', () => {
    expect(packageOf('/p/node_modules/express/lib/router.js')).toBe('express');
    expect(packageOf('/p/node_modules/@scope/pkg/index.js')).toBe('@scope/pkg');
    expect(packageOf('/p/node_modules/a/node_modules/b/x.js')).toBe('b');
    expect(packageOf('/p/src/app.ts')).toBeUndefined();
  });
});
