// Loads the configured app module and adapts its export to a Node request handler: corral's one entry into user code.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { ModuleRef } from '../config/types.ts';
import { adaptApp } from './detect-shape.ts';
import { importModule } from './import-module.ts';
import { appLoadError } from './load-error.ts';
import { pickExport } from './pick-export.ts';
import type { LoadedApp } from './types.ts';

const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

/**
 * Imports `ref.file` (ESM or CommonJS, top-level await, TypeScript), picks the export, detects its shape
 * and returns the adapted handler. Every failure is an AppLoadError (exit code 3) whose one-paragraph
 * message names the file, what happened and the shapes corral accepts.
 */
export async function loadApp(ref: ModuleRef): Promise<LoadedApp> {
  checkFile(ref.file);
  const namespace = await importModule(ref.file);
  const picked = pickExport(namespace, ref.file, ref.exportName);
  const { handler, shape } = await adaptApp(picked.value, ref.file);
  return { handler, shape, name: `${path.basename(ref.file)}:${picked.label}` };
}

function checkFile(file: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw appLoadError(file, 'the file does not exist (check the `module` setting)');
  }
  if (!isFile) throw appLoadError(file, 'it is not a file (point `module` at the app\'s entry file, not its folder)');
  const extension = path.extname(file);
  if (!EXTENSIONS.includes(extension)) {
    throw appLoadError(file, `its extension "${extension}" is not one corral loads (${EXTENSIONS.join(', ')})`);
  }
}
