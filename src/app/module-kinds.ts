// The file extensions corral loads as the app module, shared by the config check and the loader (no imports, so both stay light).

/** Loadable extensions, in the order they are tried when `module` names a file without an extension. */
export const MODULE_EXTENSIONS: readonly string[] = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

/** True when `extension` (with its dot, as path.extname gives it) is one corral can load. */
export function isLoadableExtension(extension: string): boolean {
  return MODULE_EXTENSIONS.includes(extension);
}

/** ".js, .mjs, .cjs, .ts, .mts or .cts", for messages. */
export function extensionList(): string {
  return `${MODULE_EXTENSIONS.slice(0, -1).join(', ')} or ${MODULE_EXTENSIONS.at(-1)}`;
}
