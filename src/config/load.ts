// Loads the config: reads the file, layers env vars and CLI flags over it, validates, resolves paths, and returns it frozen.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors/corral-error.ts';
import { collectLayer, type Layer } from './collect.ts';
import { deepFreeze } from './freeze.ts';
import { mergeLayers } from './merge.ts';
import { readConfigFile, type ConfigFormat } from './readers/read-config-file.ts';
import { resolveConfig } from './resolve.ts';
import { cliSettings, envSettings, fileSettings } from './sources.ts';
import type { Config } from './types.ts';
import { validateEntries } from './validate.ts';

export interface LoadOptions {
  /** Config file as the user named it (relative to cwd, or absolute). */
  configFile?: string | undefined;
  /** Read the file as this format whatever its extension (from --ini/--yaml/--json FILE). */
  configFormat?: ConfigFormat | undefined;
  /** From the command line, keyed by setting name as typed (a key or an alias); list settings as arrays. */
  cliValues: Record<string, unknown>;
  /** The flag typed for each cliValues key (e.g. `master` → `--no-master`), for messages; default `--<key>`. */
  cliOrigins?: Record<string, string> | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface LoadResult {
  /** Frozen, plain JSON (JSON.stringify/JSON.parse give an equal value). */
  config: Config;
  /** One line each, starting with where (file:line, env var or flag). */
  warnings: string[];
}

/** The absolute directory when the config file named on the command line is a directory (no format flag given). */
function projectDirectory(options: LoadOptions): string | undefined {
  if (options.configFile === undefined || options.configFormat !== undefined) return undefined;
  const path = resolve(options.cwd, options.configFile);
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true ? path : undefined;
}

/** Precedence: defaults < config file < CORRAL_* env vars < CLI flags. Throws one ConfigError (exit 2) listing every problem. */
export function loadConfig(options: LoadOptions): LoadResult {
  const layers: Layer[] = [];
  let configPath: string | undefined;
  let cliValues = options.cliValues;
  let cliOrigins = options.cliOrigins;
  const project = projectDirectory(options);
  if (project !== undefined) {
    // `corral DIR`: a project directory, not a config file: corral changes into it and looks for a framework's build.
    if (cliValues.chdir !== undefined)
      throw new ConfigError(
        `"${options.configFile}" is a directory and --chdir names another; give one`,
        'CORRAL_USAGE',
      );
    cliValues = { ...cliValues, chdir: project };
    cliOrigins = { ...cliOrigins, chdir: options.configFile! };
  } else if (options.configFile !== undefined) {
    const read = readConfigFile({
      file: options.configFile,
      cwd: options.cwd,
      env: options.env,
      format: options.configFormat,
    });
    configPath = read.path;
    const layer = collectLayer(fileSettings(read, options.configFile));
    layer.warnings.unshift(...read.warnings);
    layers.push(layer);
  }
  layers.push(collectLayer(envSettings(options.env)));
  layers.push(collectLayer(cliSettings(cliValues, cliOrigins)));

  const entries = mergeLayers(layers);
  const validated = validateEntries(entries);
  const sourceErrors = layers.flatMap((layer) => layer.errors);
  if (!validated.ok || sourceErrors.length > 0)
    throw new ConfigError([...sourceErrors, ...(validated.ok ? [] : validated.errors)].join('\n'));

  const resolved = resolveConfig(validated.values, entries, { configPath, cwd: options.cwd });
  if (!resolved.ok) throw new ConfigError(resolved.errors.join('\n'));
  return {
    config: deepFreeze(resolved.config),
    warnings: [...layers.flatMap((layer) => layer.warnings), ...resolved.warnings],
  };
}
