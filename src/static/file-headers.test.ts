// Checks the Content-Type of a file: by extension, with utf-8 for text, octet-stream when unknown.
import { describe, expect, it } from 'vitest';
import { contentTypeFor } from './file-headers.ts';

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
