// Looks at a project directory's files for the framework recognisers: existence and small JSON files, never an import.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function isFile(dir: string, relative: string): boolean {
  return statSync(join(dir, relative), { throwIfNoEntry: false })?.isFile() === true;
}

export function isDirectory(dir: string, relative: string): boolean {
  return statSync(join(dir, relative), { throwIfNoEntry: false })?.isDirectory() === true;
}

/** A JSON file's value, or undefined when it is missing or not JSON. */
export function readJson(dir: string, relative: string): unknown {
  try {
    return JSON.parse(readFileSync(join(dir, relative), 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** True when the project's package.json lists `name` among its dependencies or devDependencies. */
export function dependsOn(dir: string, name: string): boolean {
  const manifest = readJson(dir, 'package.json') as
    | { dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown> }
    | undefined;
  return manifest?.dependencies?.[name] !== undefined || manifest?.devDependencies?.[name] !== undefined;
}

/** A regular expression source matching `text` literally. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
