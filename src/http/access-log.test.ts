// The hand-built access line: valid JSON of the logger's shape, with every value escaped where it must be.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { accessLog, durationText, type RequestRecord } from './access-log.ts';

function lineFor(req: Partial<IncomingMessage>, res: Partial<ServerResponse>, record: Partial<RequestRecord> = {}) {
  const lines: string[] = [];
  const write = accessLog({
    writeLine: (line) => void lines.push(line),
    bindingsJson: '"pid":7,"role":"worker","worker":2',
  });
  const socket = { bytesWritten: 500 };
  write({ req: { httpVersionMajor: 1, socket, ...req }, statusCode: 200, writableFinished: true, ...res } as never, {
    id: 'w2-1a',
    started: performance.now(),
    bytesBefore: 100,
    remote: '127.0.0.1',
    proxy: undefined,
    static: false,
    failed: false,
    bytes: -1,
    ...record,
  });
  expect(lines).toHaveLength(1);
  expect(lines[0]?.endsWith('}\n')).toBe(true);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}

describe('access line', () => {
  it('has the logger shape: level and time first, the bindings, the request fields, msg last', () => {
    const line = lineFor({ method: 'GET', url: '/a?b=1' }, {});
    expect(Object.keys(line)).toEqual([
      'level',
      'time',
      'pid',
      'role',
      'worker',
      'reqId',
      'method',
      'path',
      'status',
      'bytes',
      'ms',
      'remote',
      'msg',
    ]);
    expect(line).toMatchObject({
      level: 'info',
      reqId: 'w2-1a',
      method: 'GET',
      path: '/a?b=1',
      status: 200,
      bytes: 400,
    });
    expect(new Date(String(line.time)).toISOString()).toBe(line.time);
    expect(line.msg).toBe('request');
  });

  it('escapes quotes, backslashes, control and non-ASCII characters in the path and the addresses', () => {
    const path = '/a"b\\c\u0001d/é/\u2028';
    const line = lineFor({ method: 'GET', url: path }, {}, { remote: '10.0.0.1"x', proxy: '127.0.0.1' });
    expect(line).toMatchObject({ path, remote: '10.0.0.1"x', proxy: '127.0.0.1' });
  });

  it('marks a response cut short as aborted and gives HTTP/2 no byte count', () => {
    const line = lineFor(
      { method: 'POST', url: '/', httpVersionMajor: 2 },
      { writableFinished: false, statusCode: 502 },
    );
    expect(line).toMatchObject({ status: 502, aborted: true });
    expect(line).not.toHaveProperty('bytes');
  });
});

describe('access lines in a row', () => {
  it('gives each line its own method and client, whatever the line before had', () => {
    const lines: string[] = [];
    const write = accessLog({ writeLine: (line) => void lines.push(line), bindingsJson: '' });
    const socket = { bytesWritten: 0 };
    const cases = [
      ['GET', '127.0.0.1'],
      ['GET', '10.0.0.2'],
      ['POST', '10.0.0.2'],
      ['GET', '::1'],
      ['GET', '::1'],
    ] as const;
    for (const [method, remote] of cases) {
      write(
        { req: { httpVersionMajor: 1, socket, method, url: '/' }, statusCode: 200, writableFinished: true } as never,
        {
          id: 's-1',
          started: performance.now(),
          bytesBefore: 0,
          remote,
          proxy: undefined,
          static: false,
          failed: false,
          bytes: -1,
        },
      );
    }
    expect(lines.map((line) => JSON.parse(line) as { method: string; remote: string })).toMatchObject(
      cases.map(([method, remote]) => ({ method, remote })),
    );
  });
});

describe('duration', () => {
  it('is written as Math.round(ms * 100) / 100 would be', () => {
    const samples = [0, 0.004, 0.005, 0.01, 0.1, 0.125, 0.999, 1, 1.5, 12.34, 99.995, 1234.5678, 86_400_000.01];
    for (let i = 0; i < 2000; i++) samples.push(Math.random() * 10 ** (i % 6));
    for (const ms of samples) expect(durationText(ms)).toBe(String(Math.round(ms * 100) / 100));
  });
});
