// Unit tests for the terminal log format.
import { describe, expect, it } from 'vitest';
import { formatLine } from './pretty.ts';

describe('formatLine', () => {
  it('prints time, level, who and message, then the other fields', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2026-11-23T10:11:12.345Z',
      pid: 1,
      role: 'worker',
      worker: 2,
      msg: 'request',
      status: 200,
      path: '/a',
    });
    expect(formatLine(line)).toBe('10:11:12.345 INFO  [worker 2] request  status=200 path=/a\n');
  });

  it('names the master as the writer of its lines about a worker', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2026-11-23T10:11:12.345Z',
      role: 'master',
      worker: 2,
      msg: 'worker ready',
    });
    expect(formatLine(line)).toBe('10:11:12.345 INFO  [master] worker ready  worker=2\n');
  });

  it('passes a line that is not JSON through', () => {
    expect(formatLine('plain text')).toBe('plain text');
  });
});
