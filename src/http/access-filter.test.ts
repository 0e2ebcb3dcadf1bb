// Which requests get an access line: every one by default, none with disable-logging alone, and log-4xx/5xx/slow as filters that disable-logging does not silence.
import { describe, expect, it } from 'vitest';
import { chooseAccessLines, type AccessChoice } from './access-filter.ts';

const keeps = (choice: AccessChoice, status: number, ms: number): boolean =>
  choice.kind === 'all' || (choice.kind === 'some' && choice.filter(status, ms));

describe('chooseAccessLines', () => {
  it('runs no filter when none is set', () => {
    expect(chooseAccessLines(false, undefined)).toEqual({ kind: 'all' });
    expect(chooseAccessLines(false, { format: 'combined', log4xx: false, log5xx: false })).toEqual({ kind: 'all' });
    expect(chooseAccessLines(true, undefined)).toEqual({ kind: 'none' });
  });

  it('log-5xx alone keeps 5xx responses only', () => {
    const choice = chooseAccessLines(false, { format: 'json', log4xx: false, log5xx: true });
    expect([200, 304, 404, 499, 500, 503, 599].filter((status) => keeps(choice, status, 1))).toEqual([500, 503, 599]);
  });

  it('log-4xx and log-5xx keep both classes', () => {
    const choice = chooseAccessLines(false, { format: 'json', log4xx: true, log5xx: true });
    expect([200, 301, 400, 404, 500].filter((status) => keeps(choice, status, 1))).toEqual([400, 404, 500]);
  });

  it('log-slow keeps requests at or over the limit, and adds to the status classes', () => {
    const slow = chooseAccessLines(false, { format: 'json', slowMs: 100, log4xx: false, log5xx: false });
    expect(keeps(slow, 200, 99.9)).toBe(false);
    expect(keeps(slow, 200, 100)).toBe(true);
    expect(keeps(slow, 500, 1)).toBe(false);
    const either = chooseAccessLines(false, { format: 'json', slowMs: 100, log4xx: true, log5xx: false });
    expect(keeps(either, 404, 1)).toBe(true);
    expect(keeps(either, 200, 150)).toBe(true);
    expect(keeps(either, 200, 50)).toBe(false);
    expect(keeps(either, 500, 50)).toBe(false);
  });

  it('with disable-logging, the filters still name the requests that get a line (as in uWSGI)', () => {
    const choice = chooseAccessLines(true, { format: 'json', log4xx: false, log5xx: true });
    expect(choice.kind).toBe('some');
    expect(keeps(choice, 502, 1)).toBe(true);
    expect(keeps(choice, 200, 1)).toBe(false);
  });
});
