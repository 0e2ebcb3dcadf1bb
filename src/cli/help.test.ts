// Tests that --help lists every flag, alias, env var and default from the settings table, plus the exit codes.
import { expect, test } from 'vitest';
import { settingList } from '../config/schema.ts';
import { defaultText, envName, flagName } from '../config/setting.ts';
import { ignoredOptions } from '../config/uwsgi-ignored.ts';
import { helpText } from './help.ts';

const help = helpText();

test('every setting shows its flags, env vars, default and description', () => {
  for (const setting of settingList) {
    for (const name of [setting.key, ...setting.aliases]) {
      expect(help).toContain(flagName(name));
      expect(help).toContain(envName(name));
      if (setting.isBoolean) expect(help).toContain(`--no-${name}`);
    }
    expect(help).toContain(setting.placeholder);
    expect(help).toContain(`default ${defaultText(setting)}`);
    expect(help).toContain(setting.description);
  }
});

test('usage, config file flags, ignored uWSGI flags and exit codes are listed', () => {
  for (const text of [
    'corral [CONFIG] [OPTIONS]',
    'corral check',
    '--help',
    '--version',
    '--config FILE',
    '--ini',
    '--yaml',
    '--json',
  ]) {
    expect(help).toContain(text);
  }
  for (const option of ignoredOptions) expect(help).toContain(flagName(option.key));
  for (const line of [
    '  0  clean stop',
    '  1  runtime failure',
    '  2  bad config or usage',
    '  3  the app could not be loaded',
  ])
    expect(help).toContain(line);
});

test('the help ends with a newline and has no line over 120 columns', () => {
  expect(help.endsWith('\n')).toBe(true);
  for (const line of help.split('\n')) expect(line.length).toBeLessThanOrEqual(120);
});
