// Picks the app value out of a module namespace: the named export if asked, else the default export (module.exports for CommonJS).
import { appLoadError } from './load-error.ts';

export interface PickedExport {
  value: unknown;
  /** Which export it was, for names in logs: the export name, `default`, or `default.default`. */
  label: string;
}

type Namespace = Record<string, unknown>;

/**
 * With `exportName`: that export of the namespace, or, for CommonJS, that key of module.exports (Node's
 * static analysis does not find every CommonJS export). Without: the default export, which for CommonJS
 * is module.exports; a transpiled ES module (`__esModule` with a `default`) gives its `default`.
 * A missing export and a null/undefined value are errors that list what the module does export.
 */
export function pickExport(namespace: Namespace, file: string, exportName: string | undefined): PickedExport {
  if (exportName !== undefined) return pickNamed(namespace, file, exportName);
  if (!('default' in namespace)) {
    throw appLoadError(
      file,
      `it has no default export (it exports ${exportList(namespace)}); export the app as default, ` +
        'or name the export with `module: file:name`',
    );
  }
  const value = namespace.default;
  if (isObjectLike(value) && (value as { __esModule?: unknown }).__esModule === true && 'default' in value) {
    return checked({ value: (value as { default: unknown }).default, label: 'default.default' }, file);
  }
  return checked({ value, label: 'default' }, file);
}

function pickNamed(namespace: Namespace, file: string, exportName: string): PickedExport {
  if (exportName in namespace) return checked({ value: namespace[exportName], label: exportName }, file);
  const moduleExports = namespace['module.exports'] ?? namespace.default;
  if (isObjectLike(moduleExports) && exportName in moduleExports) {
    return checked({ value: (moduleExports as Namespace)[exportName], label: exportName }, file);
  }
  throw appLoadError(file, `it has no export named "${exportName}" (it exports ${exportList(namespace)})`);
}

function checked(picked: PickedExport, file: string): PickedExport {
  if (picked.value === null || picked.value === undefined) {
    const which = picked.label === 'default' ? 'its default export' : `its export "${picked.label}"`;
    throw appLoadError(file, `${which} is ${String(picked.value)}`);
  }
  return picked;
}

function exportList(namespace: Namespace): string {
  const names = Object.keys(namespace).filter((name) => name !== 'module.exports');
  return names.length === 0 ? 'nothing' : names.map((name) => `"${name}"`).join(', ');
}

function isObjectLike(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}
