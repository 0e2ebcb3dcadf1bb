// `corral pack`: bundles the app, gathers its static files, config and --include files, and writes one executable made from corral's own.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/load.ts';
import { readConfigFile } from '../config/readers/read-config-file.ts';
import { ConfigError } from '../errors/corral-error.ts';
import { ExitCode } from '../errors/exit-codes.ts';
import { version } from '../version.ts';
import type { PackOptions } from './args.ts';
import { bundleApp } from './bundle-app.ts';
import { collectFiles, fileToPack, type FileToPack } from './collect-files.ts';
import { findEsbuild } from './find-esbuild.ts';
import { makeExecutable, ownExecutable } from './make-executable.ts';
import {
  APP_KEY,
  CONFIG_KEY,
  fallbackKey,
  includeKey,
  MANIFEST_KEY,
  staticKey,
  type PackManifest,
  type PackedFile,
} from './manifest.ts';
import { packedConfig } from './packed-config.ts';
import { findProject, packedPath } from './project.ts';

const say = (text: string): void => {
  process.stderr.write(`corral pack: ${text}\n`);
};

export async function runPack(options: PackOptions): Promise<number> {
  const started = performance.now();
  // First: a packed executable is refused before anything is read.
  const own = ownExecutable();
  const cwd = process.cwd();
  const configFile = options.configFile!;
  // The packed config is the file alone: CORRAL_* variables of this shell are not packed (they apply where it runs).
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CORRAL_')));
  const read = readConfigFile({ file: configFile, cwd, env });
  const { config } = loadConfig({ configFile, cliValues: {}, env, cwd });
  const project = findProject(read.path);
  const { esbuild, from } = findEsbuild(project.root);
  say(
    `bundling ${path.relative(cwd, config.module?.file ?? '') || '(no module)'} with esbuild ${esbuild.version} (${from === 'project' ? "the app's project's" : "corral's own"})`,
  );

  const included = options.includes.map((given) => path.resolve(cwd, given));
  const warnings = new Set<string>();
  const packed = packedConfig(read.values, config);
  const bundle = await bundleApp(esbuild, config.module!.file, {
    root: project.root,
    externals: options.externals,
    included,
    warn: (message) => warnings.add(message),
  });
  for (const warning of warnings) say(`warning: ${warning}`);

  const assets: Record<string, string> = {};
  const staticDirs = [...config.staticMap.map((mount) => mount.dir), ...config.checkStatic];
  const statics = staticDirs.map((dir, index) =>
    listed(collectFiles(dir), (file) => staticKey(index, file.path), assets),
  );
  config.staticFallback.forEach((rule, index) => {
    assets[fallbackKey(index)] = rule.file;
  });
  const includes = listed(
    included.flatMap((target) => includeFiles(target, project.root)),
    (file) => includeKey(file.path),
    assets,
  );

  const manifest: PackManifest = {
    format: 1,
    corral: version,
    app: {
      ...(project.name !== undefined && { name: project.name }),
      ...(project.version !== undefined && { version: project.version }),
    },
    static: statics,
    fallbacks: config.staticFallback.map((rule) => path.basename(rule.file)),
    includes,
    cwdPaths: packed.cwdPaths,
  };
  const output = path.resolve(cwd, options.output ?? defaultOutput(project.name, read.path));
  const work = mkdtempSync(path.join(os.tmpdir(), 'corral-pack-build-'));
  try {
    const write = (key: string, name: string, bytes: Buffer | string): void => {
      const file = path.join(work, name);
      writeFileSync(file, bytes);
      assets[key] = file;
    };
    write(MANIFEST_KEY, 'manifest.json', JSON.stringify(manifest));
    write(CONFIG_KEY, 'corral.json', packed.text);
    write(APP_KEY, 'app.cjs', bundle.code);
    await makeExecutable(own, assets, work, output);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const files = statics.reduce((sum, list) => sum + list.length, 0);
  const megabytes = (statSync(output).size / 1024 / 1024).toFixed(1);
  say(
    `wrote ${path.relative(cwd, output) || output} (${megabytes} MiB): the app (${bundle.inputs} modules, ` +
      `${(bundle.code.length / 1024).toFixed(0)} KiB), ${files} static files, ${includes.length} included files, ` +
      `the config; ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return ExitCode.OK;
}

/** The files as the manifest lists them, each added to the blob's assets under its key. */
function listed(
  files: FileToPack[],
  keyOf: (file: FileToPack) => string,
  assets: Record<string, string>,
): PackedFile[] {
  return files.map((file) => {
    assets[keyOf(file)] = file.source;
    return { path: file.path, size: file.size, mtimeMs: file.mtimeMs };
  });
}

/** --include DIR (or FILE): its files at their places relative to the project's root. */
function includeFiles(target: string, root: string): FileToPack[] {
  const stats = statSync(target, { throwIfNoEntry: false });
  if (stats === undefined)
    throw new ConfigError(`corral pack: --include ${target}: no such file or directory`, 'CORRAL_USAGE');
  const base = packedPath(root, target);
  if (stats.isFile()) return [fileToPack(target, base)];
  return collectFiles(target).map((file) => ({ ...file, path: base === '' ? file.path : `${base}/${file.path}` }));
}

/** The app's package name without its scope, else the config's directory name. */
function defaultOutput(name: string | undefined, configPath: string): string {
  const fromName = name?.replace(/^@[^/]+\//, '').replace(/[^\w.-]/g, '-');
  return fromName !== undefined && fromName !== '' ? fromName : path.basename(path.dirname(configPath)) || 'app';
}
