// Unit tests for the one-line descriptions used in load errors.
import { describe, expect, it } from 'vitest';
import { describeThrown, describeValue } from './describe.ts';

describe('describeThrown', () => {
  it('gives name, message and the first stack frame', () => {
    const error = new TypeError('bad thing');
    error.stack = 'TypeError: bad thing\n    at connect (file:///srv/app.mjs:3:9)\n    at file:///srv/app.mjs:5:1';
    expect(describeThrown(error)).toBe('TypeError: bad thing (at connect (file:///srv/app.mjs:3:9))');
  });

  it("uses a syntax error's location header", () => {
    const error = new SyntaxError('Unexpected token');
    error.stack = "file:///srv/app.mjs:2\nconst = 1;\n      ^\n\nSyntaxError: Unexpected token '='";
    expect(describeThrown(error)).toBe('SyntaxError: Unexpected token (at file:///srv/app.mjs:2)');
  });

  it("skips Node's internal frames", () => {
    const error = new SyntaxError('Unexpected token');
    error.stack =
      'SyntaxError: Unexpected token\n    at compileSourceTextModule (node:internal/modules/esm/utils:346:16)';
    expect(describeThrown(error)).toBe('SyntaxError: Unexpected token');
  });

  it('folds multi-line messages and describes non-errors', () => {
    const error = new Error('line one\n  line two');
    error.stack = undefined;
    expect(describeThrown(error)).toBe('Error: line one line two');
    expect(describeThrown('plain string')).toBe('a non-Error value: "plain string"');
  });
});

describe('describeValue', () => {
  it('describes primitives, functions and objects', () => {
    expect(describeValue(7)).toBe('a number (7)');
    expect(describeValue(function handler() {})).toBe('a function handler with keys (none)');
    expect(describeValue(Object.create(null))).toBe('an object (constructor none) with keys (none)');
    const many = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`k${i}`, i]));
    expect(describeValue(many)).toContain('k11, … (14 in all)');
  });
});
