// Tests each value type's parsing and coercion: strings from INI/env/CLI and typed YAML/JSON values alike.
import { describe, expect, test } from 'vitest';
import { booleanType } from './boolean.ts';
import { listenAddressType } from './listen-address.ts';
import { moduleRefType, splitModuleRef } from './module-ref.ts';
import { processCountType } from './processes.ts';
import { secondsType } from './seconds.ts';
import { staticMountType } from './static-mount.ts';
import { envEntryType } from './env-entry.ts';

const message = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues[0]?.message;

describe('http addresses', () => {
  test.each([
    [':8080', { kind: 'tcp', host: undefined, port: 8080, text: ':8080' }],
    ['8080', { kind: 'tcp', host: undefined, port: 8080, text: ':8080' }],
    [8080, { kind: 'tcp', host: undefined, port: 8080, text: ':8080' }],
    ['127.0.0.1:8080', { kind: 'tcp', host: '127.0.0.1', port: 8080, text: '127.0.0.1:8080' }],
    ['[::1]:8080', { kind: 'tcp', host: '::1', port: 8080, text: '[::1]:8080' }],
    ['localhost:0', { kind: 'tcp', host: 'localhost', port: 0, text: 'localhost:0' }],
    ['/run/app.sock', { kind: 'unix', path: '/run/app.sock', text: '/run/app.sock' }],
    ['./app.sock', { kind: 'unix', path: './app.sock', text: './app.sock' }],
  ])('%s', (raw, expected) => {
    expect(listenAddressType.schema.parse(raw)).toEqual(expected);
  });

  test.each(['localhost', ':http', '[::1', '[nothost]:80', 'a b:80', '', 1.5, true])('refuses %s', (raw) => {
    expect(message(listenAddressType.schema.safeParse(raw))).toMatch(/^expected an address like/);
  });

  test('a port out of range says so', () => {
    expect(message(listenAddressType.schema.safeParse(':65536'))).toBe(
      'port 65536 is out of range 0..65535 in ":65536"',
    );
    expect(message(listenAddressType.schema.safeParse(70000))).toBe('port 70000 is out of range 0..65535 in 70000');
  });
});

describe('booleans', () => {
  test.each([
    ['yes', true],
    ['On', true],
    ['TRUE', true],
    ['1', true],
    [1, true],
    [true, true],
    ['no', false],
    ['OFF', false],
    ['false', false],
    ['0', false],
    [0, false],
    [false, false],
  ])('%s', (raw, expected) => {
    expect(booleanType.schema.parse(raw)).toBe(expected);
  });

  test('refuses anything else in words', () => {
    expect(message(booleanType.schema.safeParse('maybe'))).toBe(
      'expected true/false, yes/no, on/off or 1/0, got "maybe"',
    );
    expect(message(booleanType.schema.safeParse(2))).toBe('expected true/false, yes/no, on/off or 1/0, got 2');
  });
});

describe('processes', () => {
  test('integers >= 1 and "auto"', () => {
    expect(processCountType.schema.parse('4')).toBe(4);
    expect(processCountType.schema.parse(4)).toBe(4);
    expect(processCountType.schema.parse(' auto ')).toBe('auto');
  });

  test.each(['four', '0', 0, '1.5', 2.5, -1, ''])('refuses %s', (raw) => {
    expect(message(processCountType.schema.safeParse(raw))).toMatch(/^expected an integer >= 1 or "auto", got /);
  });
});

describe('graceful-timeout seconds', () => {
  test('numbers > 0, fractions allowed', () => {
    expect(secondsType.schema.parse('2.5')).toBe(2.5);
    expect(secondsType.schema.parse(30)).toBe(30);
    expect(message(secondsType.schema.safeParse('0'))).toBe('expected a number of seconds > 0, got "0"');
    expect(message(secondsType.schema.safeParse('1e3'))).toBe('expected a number of seconds > 0, got "1e3"');
  });
});

describe('static-map', () => {
  test('normalizes the prefix', () => {
    expect(staticMountType.schema.parse('/static/=./public')).toEqual({ prefix: '/static', dir: './public' });
    expect(staticMountType.schema.parse('//a//b//=x')).toEqual({ prefix: '/a/b', dir: 'x' });
    expect(staticMountType.schema.parse('/=x=y')).toEqual({ prefix: '/', dir: 'x=y' });
  });

  test('says what is wrong', () => {
    expect(message(staticMountType.schema.safeParse('static=./public'))).toBe(
      'expected "/PREFIX=DIR", got "static=./public": the prefix must start with "/"',
    );
    expect(message(staticMountType.schema.safeParse('/static='))).toBe(
      'expected "/PREFIX=DIR", got "/static=": the directory is missing',
    );
    expect(message(staticMountType.schema.safeParse('/static'))).toBe('expected "/PREFIX=DIR", got "/static"');
  });
});

describe('module', () => {
  test.each([
    ['app.js', 'app.js', undefined],
    ['app.js:handler', 'app.js', 'handler'],
    ['./a:b/c.js', './a:b/c.js', undefined],
    ['C:\\srv\\app.js', 'C:\\srv\\app.js', undefined],
    ['dist/app.mjs:$main', 'dist/app.mjs', '$main'],
    [':handler', ':handler', undefined],
  ])('%s', (raw, file, exportName) => {
    expect(splitModuleRef(raw)).toEqual({ file, exportName });
  });

  test('refuses an empty value', () => {
    expect(message(moduleRefType.schema.safeParse(''))).toBe(
      'expected a module path like "app.js" or "app.js:handler", got ""',
    );
  });
});

describe('env', () => {
  test('NAME=VALUE; the value may be empty or contain "="', () => {
    expect(envEntryType.schema.parse('A=b=c')).toEqual(['A', 'b=c']);
    expect(envEntryType.schema.parse('EMPTY=')).toEqual(['EMPTY', '']);
    expect(message(envEntryType.schema.safeParse('1A=b'))).toMatch(/^expected "NAME=VALUE"/);
  });
});
