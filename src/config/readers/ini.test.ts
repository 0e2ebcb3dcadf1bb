// Tests the uWSGI-dialect INI reader: sections, comments, repeated keys, line numbers, %-magic and $(NAME).
import { describe, expect, test } from 'vitest';
import { readIni } from './ini.ts';

const context = { file: 'app.ini', path: '/srv/app/app.ini', env: { PORT: '9000' } };

describe('readIni', () => {
  test('reads [uwsgi] and [corral], keeps first-occurrence lines, and repeated keys build lists', () => {
    const result = readIni('[uwsgi]\nhttp = :8000\n\n[corral]\nstatic-map = /a=x\nstatic-map=/b=y\n', context);
    expect(result.values).toEqual({ http: ':8000', 'static-map': ['/a=x', '/b=y'] });
    expect(result.lines).toEqual({ http: 2, 'static-map': 5 });
    expect(result.itemLines['static-map']).toEqual([5, 6]);
    expect(result.repeated).toEqual(['static-map']);
    expect(result.errors).toEqual([]);
  });

  test('full-line ; and # comments are skipped; later ; and # are part of the value', () => {
    const result = readIni('; top\n[uwsgi]\n  # indented comment\nenv = A=b;c #d\n', context);
    expect(result.values).toEqual({ env: 'A=b;c #d' });
  });

  test('other sections are skipped with a warning naming the line', () => {
    const result = readIni('[uwsgi]\nmaster = true\n[app:main]\nuse = egg:foo\n', context);
    expect(result.values).toEqual({ master: 'true' });
    expect(result.warnings).toEqual(['app.ini:3: ignoring section [app:main]: corral reads only [corral] and [uwsgi]']);
  });

  test('%d keeps its trailing slash; %% is a percent; $(NAME) reads the environment', () => {
    const result = readIni(
      '[uwsgi]\nchdir = %d\nstatic-map = /s=%dstatic\nstatic-map = /t=%d/t\nenv = P=$(PORT) 100%%\nenv = N=%n.%e in %c\n',
      context,
    );
    expect(result.values).toEqual({
      chdir: '/srv/app/',
      'static-map': ['/s=/srv/app/static', '/t=/srv/app//t'],
      env: ['P=9000 100%', 'N=app.ini in app'],
    });
  });

  test('an unset $(NAME) is an error naming the line, key and variable', () => {
    expect(readIni('[uwsgi]\n\nhttp = :$(NOPE)\n', context).errors).toEqual([
      'app.ini:3: http: $(NOPE) is not set in the environment',
    ]);
  });

  test('syntax errors name the line; CRLF and a BOM are fine', () => {
    expect(readIni('\uFEFF[uwsgi]\r\nmaster\r\n= x\r\n', context).errors).toEqual([
      'app.ini:2: expected "key = value" or a [section] header, got "master"',
      'app.ini:3: expected "key = value", got "= x": the key is missing',
    ]);
  });

  test('a file with no [corral] or [uwsgi] section is an error', () => {
    expect(readIni('', context).errors).toEqual(['app.ini: no [corral] or [uwsgi] section found']);
  });
});
