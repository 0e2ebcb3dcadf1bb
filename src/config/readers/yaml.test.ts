// Tests the YAML reader: flat and nested (corral:/uwsgi:) files, key and item lines, and syntax errors with lines.
import { describe, expect, test } from 'vitest';
import { readYaml } from './yaml.ts';

const context = { file: 'app.yaml', path: '/srv/app/app.yaml', env: {} };

describe('readYaml', () => {
  test('keeps YAML types and the line of every key and list item', () => {
    const result = readYaml('# app\nhttp:\n  - 8080\n  - ":8081"\nmaster: false\nprocesses: 4\n', context);
    expect(result.values).toEqual({ http: [8080, ':8081'], master: false, processes: 4 });
    expect(result.lines).toEqual({ http: 2, master: 5, processes: 6 });
    expect(result.itemLines.http).toEqual([3, 4]);
  });

  test('reads settings nested under uwsgi:, warning about other top-level keys', () => {
    const result = readYaml('uwsgi:\n  http: :8000\n  module: "%dapp.js"\nlogging: {}\n', context);
    expect(result.values).toEqual({ http: ':8000', module: '/srv/app/app.js' });
    expect(result.lines).toEqual({ http: 2, module: 3 });
    expect(result.warnings).toEqual([
      'app.yaml:4: ignoring top-level "logging": settings are read from the "corral" and "uwsgi" mappings',
    ]);
  });

  test('an empty file has no settings; a top-level list or scalar is an error', () => {
    expect(readYaml('', context)).toMatchObject({ values: {}, errors: [] });
    expect(readYaml('# nothing\n', context)).toMatchObject({ values: {}, errors: [] });
    expect(readYaml('- http\n', context).errors).toEqual([
      'app.yaml:1: expected a mapping of settings ("key: value" lines) at the top level',
    ]);
    expect(readYaml('uwsgi: 3\n', context).errors).toEqual(['app.yaml:1: uwsgi: expected a mapping of settings']);
  });

  test('syntax errors and duplicate keys name the line', () => {
    expect(readYaml('http: ":8000"\nmaster: [\n', context).errors[0]).toMatch(/^app\.yaml:\d+: /);
    expect(readYaml('master: true\nmaster: false\n', context).errors).toEqual([
      'app.yaml:2: "master" is given twice; give each setting once (a YAML list holds several values)',
    ]);
  });
});
