// Peer checks: versions read from each tool's output, and what a missing one tells the user to install.
import { describe, expect, it } from 'vitest';
import { checkCommand, missingNote, parseVersion, versionsLine } from './peers.mjs';

describe('parseVersion', () => {
  it('reads the versions Debian builds print', () => {
    expect(parseVersion('wrk', 'wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer')).toBe('4.1.0-3+b2');
    expect(parseVersion('nginx', 'nginx version: nginx/1.22.1\n')).toBe('1.22.1');
    expect(parseVersion('uwsgi', '2.0.21-debian\n')).toBe('2.0.21-debian');
    expect(parseVersion('taskset', 'taskset from util-linux 2.38.1\n')).toBe('2.38.1');
  });

  it('says installed when the output names no version', () => {
    expect(parseVersion('nginx', 'something else')).toBe('installed');
  });
});

describe('checkCommand', () => {
  it('names the Debian package of a command that is not there', () => {
    const run = () => ({ error: Object.assign(new Error('spawn uwsgi ENOENT'), { code: 'ENOENT' }), status: null });
    expect(checkCommand('uwsgi', run)).toEqual({
      missing:
        'uwsgi is not installed: skipped (Debian: apt-get update && apt-get install -y uwsgi-core uwsgi-plugin-python3)',
    });
  });

  it('reads the version from stdout or stderr, whatever the exit status', () => {
    const run = () => ({ status: 1, stdout: '', stderr: 'nginx version: nginx/1.22.1\n' });
    expect(checkCommand('nginx', run)).toEqual({ version: '1.22.1' });
  });
});

describe('notes and header', () => {
  it('tells how to get a missing devDependency', () => {
    expect(missingNote('pm2')).toBe('pm2 is not installed: skipped (a devDependency: npm ci)');
  });

  it('lists every peer with its version or as missing', () => {
    const found = new Map([
      ['wrk', { version: '4.1.0' }],
      ['uwsgi', { missing: 'x' }],
    ]);
    expect(versionsLine(found)).toBe('wrk 4.1.0, uwsgi missing');
  });
});
