// Parses `corral pack [CONFIG] [-o FILE] [--include DIR]... [--external NAME]...` (the words after "pack").
import { ConfigError } from '../errors/corral-error.ts';

export interface PackOptions {
  /** The config file as typed (required: the app is what it names). */
  configFile: string | undefined;
  /** The executable to write (default: the app's package name, or the config's directory name). */
  output: string | undefined;
  /** Directories (or files) the app reads, packed and unpacked into CORRAL_PACK_DIR at start. */
  includes: string[];
  /** Packages left out of the bundle: they must be in node_modules beside the executable. */
  externals: string[];
}

const usage = 'corral pack [CONFIG] [-o FILE] [--include DIR]... [--external NAME]...';

export function parsePackArgs(argv: readonly string[]): PackOptions {
  const options: PackOptions = { configFile: undefined, output: undefined, includes: [], externals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = equals < 0 ? arg : arg.slice(0, equals);
    const value = (): string => {
      if (equals >= 0) return arg.slice(equals + 1);
      const next = argv[++i];
      if (next === undefined || next.startsWith('-'))
        throw new ConfigError(`corral pack: ${flag} needs a value (${usage})`, 'CORRAL_USAGE');
      return next;
    };
    if (flag === '-o' || flag === '--output') options.output = value();
    else if (flag === '--include') options.includes.push(value());
    else if (flag === '--external') options.externals.push(value());
    else if (arg.startsWith('-'))
      throw new ConfigError(`corral pack: unknown option "${arg}" (${usage})`, 'CORRAL_USAGE');
    else if (options.configFile === undefined) options.configFile = arg;
    else throw new ConfigError(`corral pack: two config files given; give one (${usage})`, 'CORRAL_USAGE');
  }
  if (options.configFile === undefined)
    throw new ConfigError(`corral pack: name the app's config file (${usage})`, 'CORRAL_USAGE');
  return options;
}
