// Checks module file lookup: extension probing over the loader's list, and refusal of files the loader cannot load.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODULE_EXTENSIONS } from '../app/module-kinds.ts';
import { findModuleFile, moduleExtensions } from './paths.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'corral-paths-'));
const at = (name: string) => path.join(dir, name);
for (const name of ['mts-only.mts', 'cts-only.cts', 'data.json', 'noext', 'both', 'both.js', 'app.js'])
  writeFileSync(at(name), '');
mkdirSync(at('folder'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findModuleFile', () => {
  it('probes the same extensions the loader accepts', () => {
    expect(moduleExtensions).toBe(MODULE_EXTENSIONS);
    expect(findModuleFile(at('mts-only'))).toEqual({ file: at('mts-only.mts') });
    expect(findModuleFile(at('cts-only'))).toEqual({ file: at('cts-only.cts') });
    expect(findModuleFile(at('app'))).toEqual({ file: at('app.js') });
  });

  it('takes a file with a loadable extension as it is', () => {
    expect(findModuleFile(at('app.js'))).toEqual({ file: at('app.js') });
  });

  it('prefers a loadable sibling to an extension-less file of the same name', () => {
    expect(findModuleFile(at('both'))).toEqual({ file: at('both.js') });
  });

  it('refuses an existing file the loader cannot load, naming the accepted extensions', () => {
    expect(findModuleFile(at('data.json'))).toEqual({
      problem: `"${at('data.json')}" has the extension ".json", and corral only loads .js, .mjs, .cjs, .ts, .mts or .cts files`,
    });
    expect(findModuleFile(at('noext'))).toEqual({
      problem: `"${at('noext')}" has no extension, and corral only loads .js, .mjs, .cjs, .ts, .mts or .cts files`,
    });
  });

  it('says what it tried for a missing file, and refuses a directory', () => {
    expect(findModuleFile(at('nope'))).toEqual({
      problem: `file "${at('nope')}" does not exist (also tried .js, .mjs, .cjs, .ts, .mts, .cts)`,
    });
    expect(findModuleFile(at('nope.js'))).toEqual({ problem: `file "${at('nope.js')}" does not exist` });
    expect(findModuleFile(at('folder'))).toEqual({ problem: `"${at('folder')}" is a directory; name the app's file` });
  });
});
