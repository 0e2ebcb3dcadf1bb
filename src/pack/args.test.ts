// The pack command line: config, -o, repeated --include and --external, and usage errors that say the form.
import { describe, expect, it } from 'vitest';
import { parsePackArgs } from './args.ts';

describe('parsePackArgs', () => {
  it('reads the config, the output and the repeated options, with = or a separate value', () => {
    expect(
      parsePackArgs(['app.yaml', '-o', 'out/app', '--include', 'views', '--include=data', '--external', 'sharp']),
    ).toEqual({ configFile: 'app.yaml', output: 'out/app', includes: ['views', 'data'], externals: ['sharp'] });
    expect(parsePackArgs(['--output=x', 'c.ini']).output).toBe('x');
  });

  it('refuses a missing config, a missing value, an unknown option and two configs', () => {
    expect(() => parsePackArgs([])).toThrow(/name the app's config file/);
    expect(() => parsePackArgs(['c.yaml', '-o'])).toThrow(/-o needs a value/);
    expect(() => parsePackArgs(['c.yaml', '--include', '--external', 'x'])).toThrow(/--include needs a value/);
    expect(() => parsePackArgs(['c.yaml', '--zip'])).toThrow(/unknown option "--zip"/);
    expect(() => parsePackArgs(['a.yaml', 'b.yaml'])).toThrow(/two config files/);
  });
});
