// Picks the reader for a config file (by extension, or the format named by --ini/--yaml/--json) and reads it; unreadable files are config errors.
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { ConfigError } from '../../errors/corral-error.ts';
import { readIni } from './ini.ts';
import { readJson } from './json.ts';
import { readYaml } from './yaml.ts';
import type { ReadContext, ReadResult } from './read-result.ts';

export type ConfigFormat = 'yaml' | 'ini' | 'json';

export const formatByExtension: Readonly<Record<string, ConfigFormat>> = {
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.ini': 'ini',
  '.json': 'json',
};

const readers: Readonly<Record<ConfigFormat, (text: string, context: ReadContext) => ReadResult>> = {
  yaml: readYaml,
  ini: readIni,
  json: readJson,
};

export interface ReadConfigFileOptions {
  /** The file as the user named it (relative to cwd, or absolute). */
  file: string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Overrides the extension (from --ini/--yaml/--json FILE). */
  format?: ConfigFormat | undefined;
}

/** Reads and parses a config file; throws ConfigError when it cannot be read or has syntax errors. */
export function readConfigFile(options: ReadConfigFileOptions): ReadResult & { path: string } {
  const path = resolve(options.cwd, options.file);
  const extension = extname(options.file).toLowerCase();
  const format = options.format ?? formatByExtension[extension];
  if (format === undefined) {
    const known = Object.keys(formatByExtension);
    const kinds = `${known.slice(0, -1).join(', ')} or ${known.at(-1) ?? ''}`;
    throw new ConfigError(
      `${options.file}: unsupported config file type ${extension === '' ? '(no extension)' : `"${extension}"`}: use ${kinds} (or --ini/--yaml/--json FILE to name the format)`,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'config file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a config file'
          : code === 'EACCES'
            ? 'cannot be read (permission denied)'
            : `cannot be read (${code ?? String(error)})`;
    throw new ConfigError(`${options.file}: ${why}`);
  }
  const result = readers[format](text, { file: options.file, path, env: options.env });
  if (result.errors.length > 0) throw new ConfigError(result.errors.join('\n'));
  return { ...result, path };
}
