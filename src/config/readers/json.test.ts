// Tests the JSON reader: values from JSON.parse, key and item lines from the scan, duplicates, and syntax error lines.
import { describe, expect, test } from 'vitest';
import { readJson } from './json.ts';

const context = { file: 'app.json', path: '/srv/app/app.json', env: {} };

describe('readJson', () => {
  test('finds the line of each key and item, also one level down in "uwsgi"', () => {
    const text = '{\n  "uwsgi": {\n    "http": [\n      ":8000",\n      8001\n    ],\n    "master": "yes"\n  }\n}\n';
    const result = readJson(text, context);
    expect(result.values).toEqual({ http: [':8000', 8001], master: 'yes' });
    expect(result.lines).toEqual({ http: 3, master: 7 });
    expect(result.itemLines.http).toEqual([4, 5]);
  });

  test('a key given twice is an error (JSON.parse would keep the last silently)', () => {
    expect(readJson('{\n"processes": 1,\n"processes": 2\n}', context).errors).toEqual([
      'app.json:3: "processes" is given twice (first on line 2)',
    ]);
  });

  test('syntax errors name the line, with or without a position from JSON.parse', () => {
    expect(readJson('{\n  "a": 1,\n}\n', context).errors).toEqual(['app.json:3: Expected double-quoted property name']);
    expect(readJson('{\n  "a": 1,\n  "b" 2\n}\n', context).errors[0]).toMatch(/^app\.json:3: /);
    expect(readJson('{\n  "a": [1,\n', context).errors[0]).toMatch(/^app\.json:3: /);
  });

  test('the top level must be an object', () => {
    expect(readJson('[1]', context).errors).toEqual([
      'app.json:1: expected a JSON object of settings at the top level',
    ]);
  });
});
