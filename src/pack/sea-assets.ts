// The running executable's assets (node:sea), and the manifest that says whether it is a packed app.
import { MANIFEST_KEY, type PackManifest } from './manifest.ts';

interface Sea {
  isSea(): boolean;
  getRawAsset(key: string): ArrayBuffer;
  getAsset(key: string, encoding: string): string;
}

/** node:sea when this process runs inside a single executable (Node >= 20.12 has it), else undefined. */
export function runningSea(): Sea | undefined {
  const sea = process.getBuiltinModule?.('node:sea') as Sea | undefined;
  return sea?.isSea?.() === true ? sea : undefined;
}

/**
 * A view of an asset's bytes where they are: the executable's pages, shared by every process that runs it. Nothing
 * may ever write into it.
 */
export function rawAsset(sea: Sea, key: string): Buffer | undefined {
  try {
    return Buffer.from(sea.getRawAsset(key));
  } catch {
    return undefined; // no such asset
  }
}

let manifest: PackManifest | null | undefined;

/** The packed app's manifest, or undefined when this is not a packed executable. */
export function packManifest(): PackManifest | undefined {
  if (manifest === undefined) {
    const sea = runningSea();
    const bytes = sea === undefined ? undefined : rawAsset(sea, MANIFEST_KEY);
    manifest = bytes === undefined ? null : (JSON.parse(bytes.toString('utf8')) as PackManifest);
  }
  return manifest ?? undefined;
}
