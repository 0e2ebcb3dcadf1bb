// Unit tests for choosing the app out of a module namespace (ES modules, CommonJS, transpiled ES modules).
import { describe, expect, it } from 'vitest';
import { AppLoadError } from '../errors/corral-error.ts';
import { pickExport } from './pick-export.ts';

const FILE = '/srv/app.mjs';
const app = (): void => {};

function failure(run: () => unknown): AppLoadError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppLoadError);
    return error as AppLoadError;
  }
  throw new Error('expected an AppLoadError');
}

describe('pickExport', () => {
  it('takes the default export', () => {
    expect(pickExport({ default: app, other: 1 }, FILE, undefined)).toEqual({ value: app, label: 'default' });
  });

  it('takes module.exports of a CommonJS module (its namespace default)', () => {
    const moduleExports = { fetch: app };
    expect(pickExport({ default: moduleExports, fetch: app }, FILE, undefined).value).toBe(moduleExports);
  });

  it('unwraps the default of a transpiled ES module (__esModule)', () => {
    const picked = pickExport({ default: { __esModule: true, default: app } }, FILE, undefined);
    expect(picked).toEqual({ value: app, label: 'default.default' });
  });

  it('takes a named export', () => {
    expect(pickExport({ default: 1, api: app }, FILE, 'api')).toEqual({ value: app, label: 'api' });
  });

  it('finds a name on module.exports that static analysis missed', () => {
    expect(pickExport({ default: { handler: app } }, FILE, 'handler').value).toBe(app);
    expect(pickExport({ default: {}, 'module.exports': { handler: app } }, FILE, 'handler').value).toBe(app);
  });

  it('names the exports when the asked one is missing', () => {
    expect(failure(() => pickExport({ default: 1, api: app }, FILE, 'nope')).message).toContain(
      'it has no export named "nope" (it exports "default", "api")',
    );
  });

  it('explains a missing default export', () => {
    const message = failure(() => pickExport({ version: 1 }, FILE, undefined)).message;
    expect(message).toContain('it has no default export (it exports "version")');
    expect(message).toContain('`module: file:name`');
    expect(failure(() => pickExport({}, FILE, undefined)).message).toContain('(it exports nothing)');
  });

  it('rejects a null or undefined default or named export', () => {
    expect(failure(() => pickExport({ default: null }, FILE, undefined)).message).toContain(
      'its default export is null',
    );
    expect(failure(() => pickExport({ default: undefined }, FILE, undefined)).message).toContain(
      'its default export is undefined',
    );
    expect(failure(() => pickExport({ api: undefined }, FILE, 'api')).message).toContain(
      'its export "api" is undefined',
    );
  });
});
