// Tests the dashboard page as text: self-contained and small, its policy's hashes match its own style and script, and the script parses.
import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { dashboardPage } from './dashboard.ts';

const page = dashboardPage();
const inner = (tag: string) => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(page)?.[1] ?? '';
const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

test('one small page with nothing to load from elsewhere', () => {
  expect(page.startsWith('<!doctype html>')).toBe(true);
  expect(Buffer.byteLength(page)).toBeLessThan(25 * 1024);
  expect(page).not.toMatch(/\s(src|href)="(https?:)?\/\//);
  expect(page).not.toMatch(/@import|url\(/);
  expect(page.match(/<script>/g)).toHaveLength(1);
});

test('its Content-Security-Policy allows exactly its own style and script, and requests to its own origin', () => {
  const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(page)?.[1] ?? '';
  expect(policy).toContain(`script-src ${hash(inner('script'))}`);
  expect(policy).toContain(`style-src ${hash(inner('style'))}`);
  expect(policy).toContain("connect-src 'self'");
  expect(policy).toContain("default-src 'none'");
});

test('the script parses, polls stats.json relative to the page, and writes data only through textContent', () => {
  const script = inner('script');
  expect(() => new Function(script)).not.toThrow();
  expect(script).toContain("'stats.json'");
  expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
});

test('every table has column headers and a body for the script to fill', () => {
  for (const id of ['totals', 'workers', 'restarts', 'slow', 'listeners', 'certificates'])
    expect(page).toMatch(new RegExp(`<thead><tr>(<th scope="col"[^>]*>[^<]+</th>)+</tr></thead><tbody id="${id}">`));
});
