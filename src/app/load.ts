// Loads the configured app module and adapts its export to a Node request handler: corral's one entry into user code.
import path from 'node:path';
import { findModuleFile } from '../config/paths.ts';
import type { ModuleRef } from '../config/types.ts';
import { loadGlue } from '../frameworks/glue.ts';
import type { FrameworkName } from '../frameworks/types.ts';
import { adaptApp } from './detect-shape.ts';
import { describeThrown } from './describe.ts';
import { http1OnlyReason } from './http1-only.ts';
import { importModule } from './import-module.ts';
import { appLoadError } from './load-error.ts';
import { pickExport } from './pick-export.ts';
import type { LoadedApp } from './types.ts';
import { findUpgradeHandler } from './upgrade.ts';

/**
 * Imports `ref.file` (ESM or CommonJS, top-level await, TypeScript), picks the export, detects its shape
 * and returns the adapted handler. Every failure is an AppLoadError (exit code 3) whose one-paragraph
 * message names the file, what happened and the shapes corral accepts.
 */
export async function loadApp(ref: ModuleRef): Promise<LoadedApp> {
  const file = ref.glue === undefined ? checkedFile(ref.file) : ref.file;
  const namespace = ref.glue === undefined ? await importModule(file) : await glueNamespace(ref.glue, file);
  const picked = pickExport(namespace, file, ref.exportName);
  const { handler, shape, app } = await adaptApp(picked.value, file);
  // A glue's app is named for the framework (`next glue`): the path is a project directory or a build file.
  const name = ref.glue === undefined ? `${path.basename(file)}:${picked.label}` : `${ref.glue} glue`;
  const loaded: LoadedApp = { handler, shape, name };
  const upgrade = findUpgradeHandler(namespace, app, shape);
  if (upgrade !== undefined) loaded.upgrade = upgrade;
  const onDrain = moduleHook(namespace, 'onDrain');
  if (onDrain !== undefined) loaded.onDrain = onDrain;
  const onShutdown = moduleHook(namespace, 'onShutdown');
  if (onShutdown !== undefined) loaded.onShutdown = onShutdown;
  const ready = moduleHook(namespace, 'ready');
  if (ready !== undefined) loaded.ready = ready;
  const http1Only = http1OnlyReason(picked.value);
  if (http1Only !== undefined) loaded.http1Only = http1Only;
  return loaded;
}

/** The namespace corral's glue makes for a framework's build; its failures are AppLoadErrors like an import's. */
async function glueNamespace(name: FrameworkName, file: string): Promise<Record<string, unknown>> {
  try {
    return await loadGlue(name, file);
  } catch (error) {
    throw appLoadError(file, `corral's ${name} glue could not start the app: ${describeThrown(error)}`);
  }
}

/**
 * An optional hook export (`onDrain`, `onShutdown`, `ready`): a named export, or (CommonJS) a property of
 * module.exports, called with module.exports as `this` (a Fastify instance's own `ready()` needs it).
 */
function moduleHook(
  namespace: Record<string, unknown>,
  name: 'onDrain' | 'onShutdown' | 'ready',
): (() => unknown) | undefined {
  const named = namespace[name];
  if (typeof named === 'function') return named as () => unknown;
  const fallback = namespace.default;
  if ((typeof fallback !== 'object' && typeof fallback !== 'function') || fallback === null) return undefined;
  const candidate = (fallback as Record<string, unknown>)[name];
  return typeof candidate === 'function' ? (candidate as () => unknown).bind(fallback) : undefined;
}

/** The same check `corral check` ran (the file may have changed since): it exists and has a loadable extension. */
function checkedFile(file: string): string {
  const found = findModuleFile(file);
  if ('problem' in found) throw appLoadError(file, `${found.problem} (check the \`module\` setting)`);
  return found.file;
}
