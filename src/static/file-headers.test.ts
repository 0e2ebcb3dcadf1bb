// Checks the headers describing a file: type by extension with utf-8 for text, length, HTTP date, nosniff.
import { describe, expect, it } from 'vitest';
import { contentTypeFor, fileHeaders } from './file-headers.ts';

describe('contentTypeFor', () => {
  it.each([
    ['/x/index.html', 'text/html; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.json', 'application/json; charset=utf-8'],
    ['a.txt', 'text/plain; charset=utf-8'],
    ['A.PNG', 'image/png'],
    ['a.svg', 'image/svg+xml'],
    ['a.unknownext', 'application/octet-stream'],
    ['/x/json', 'application/octet-stream'],
    ['/x/Makefile', 'application/octet-stream'],
  ])('%s -> %s', (name, type) => {
    expect(contentTypeFor(name)).toBe(type);
  });
});

describe('fileHeaders', () => {
  it('describes size, date and type', () => {
    const headers = fileHeaders('/x/a.txt', { size: 12, mtime: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)) });
    expect(headers).toEqual({
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': '12',
      'Last-Modified': 'Tue, 02 Jan 2024 03:04:05 GMT',
      'X-Content-Type-Options': 'nosniff',
    });
  });
});
