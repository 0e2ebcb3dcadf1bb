// Golden tests: every config file under test/fixtures/config/<case>/ loads to its .expected.json, or fails with its .expected.txt.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError } from '../errors/corral-error.ts';
import { loadConfig } from './load.ts';

const root = new URL('../../test/fixtures/config/', import.meta.url).pathname;
/** Set UPDATE_GOLDENS=1 to rewrite the expected files (then review the diff). */
const update = process.env.UPDATE_GOLDENS === '1';

const isInput = (name: string) => !/\.(expected\.json|expected\.txt|env\.json|js)$/.test(name);

/** Makes output machine-independent: the case directory becomes <DIR>. */
const placeholder = (text: string, dir: string) => text.split(dir).join('<DIR>');

function outcome(dir: string, file: string): { kind: 'json' | 'txt'; text: string } {
  const envFile = join(dir, `${file}.env.json`);
  const env = existsSync(envFile) ? (JSON.parse(readFileSync(envFile, 'utf8')) as Record<string, string>) : {};
  try {
    const result = loadConfig({ configFile: file, cliValues: {}, env, cwd: dir });
    return { kind: 'json', text: placeholder(`${JSON.stringify(result, null, 2)}\n`, dir) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.exitCode).toBe(2);
    return { kind: 'txt', text: placeholder(`${error.message}\n`, dir) };
  }
}

for (const caseName of readdirSync(root).sort()) {
  const dir = join(root, caseName);
  if (!statSync(dir).isDirectory()) continue;
  describe(`config golden ${caseName}`, () => {
    for (const file of readdirSync(dir).sort()) {
      if (!isInput(file) || !statSync(join(dir, file)).isFile()) continue;
      test(file, () => {
        const actual = outcome(dir, file);
        const expectedFile = join(dir, `${file}.expected.${actual.kind}`);
        if (update) writeFileSync(expectedFile, actual.text);
        const other = join(dir, `${file}.expected.${actual.kind === 'json' ? 'txt' : 'json'}`);
        expect(existsSync(other), `${file} should ${actual.kind === 'json' ? 'fail' : 'load'} (see ${other})`).toBe(
          false,
        );
        expect(actual.text).toBe(readFileSync(expectedFile, 'utf8'));
      });
    }
  });
}
