// Parses corral's command line (argv without node and the script) into a Command; usage mistakes are ConfigErrors (exit 2).
import { ConfigError } from '../errors/corral-error.ts';
import type { ConfigFormat } from '../config/readers/read-config-file.ts';
import { settingList } from '../config/schema.ts';
import { didYouMean } from '../config/suggest.ts';
import type { Command } from './command.ts';
import { configFileFlags, flagTable, knownFlags, type FlagSpec } from './flags.ts';

type CommandWord = 'serve' | 'check' | 'reload' | 'stop' | 'top' | 'status' | 'systemd';
const commandWords: ReadonlySet<string> = new Set<CommandWord>([
  'serve',
  'check',
  'reload',
  'stop',
  'top',
  'status',
  'systemd',
]);

/** An argument that is a flag rather than a value ("-1" and "-" are values). */
const looksLikeFlag = (arg: string): boolean => arg.startsWith('-') && arg !== '-' && !/^-\d/.test(arg);

/**
 * Forms: `corral [check|serve|reload|stop|top] [CONFIG] [flags]`, `--flag VALUE`, `--flag=VALUE`, `--bool` / `--no-bool` / `--bool=VALUE`
 * (a boolean flag never takes the next argument), `--config|--ini|--yaml|--json FILE`, `--help`/`-h`, `--version`/`-v`,
 * and `--` to end flags.
 */
export function parseArgs(argv: readonly string[]): Command {
  // `corral pack` has options of its own (src/pack/args.ts), not settings.
  if (argv[0] === 'pack') return { name: 'pack', argv: argv.slice(1) };
  const end = argv.indexOf('--');
  const flagArea = end < 0 ? argv : argv.slice(0, end);
  if (flagArea.includes('--help') || flagArea.includes('-h')) return { name: 'help' };
  if (flagArea.includes('--version') || flagArea.includes('-v')) return { name: 'version' };

  let name: CommandWord = 'serve';
  let configFile: string | undefined;
  let configFormat: ConfigFormat | undefined;
  let positionals = 0;
  const cliValues: Record<string, unknown> = {};
  const cliOrigins: Record<string, string> = {};

  const setConfigFile = (file: string, format: ConfigFormat | undefined) => {
    if (configFile !== undefined)
      throw new ConfigError(`two config files given ("${configFile}" and "${file}"); give one`, 'CORRAL_USAGE');
    configFile = file;
    configFormat = format;
  };

  let i = 0;
  const valueFor = (flag: string, inline: string | undefined, placeholder: string): string => {
    if (inline !== undefined) return inline;
    const next = flagArea[i];
    if (next === undefined || looksLikeFlag(next))
      throw new ConfigError(`${flag}: missing value (${placeholder})`, 'CORRAL_USAGE');
    i++;
    return next;
  };

  while (i < flagArea.length) {
    const arg = flagArea[i++]!;
    if (!looksLikeFlag(arg)) {
      if (positionals++ === 0 && commandWords.has(arg)) name = arg as CommandWord;
      else setConfigFile(arg, undefined);
      continue;
    }
    const equals = arg.indexOf('=');
    const flag = equals < 0 ? arg : arg.slice(0, equals);
    const inline = equals < 0 ? undefined : arg.slice(equals + 1);
    if (configFileFlags.has(flag)) {
      setConfigFile(valueFor(flag, inline, 'FILE'), configFileFlags.get(flag));
      continue;
    }
    const spec = flagTable.get(flag);
    if (spec === undefined)
      throw new ConfigError(
        `unknown option "${flag}"${didYouMean(flag, knownFlags)}; see corral --help`,
        'CORRAL_USAGE',
      );
    store(spec, flag, flagValue(spec, flag, inline, valueFor), cliValues, cliOrigins);
  }
  // After "--" every argument is a config file name, even one that looks like a flag or a command.
  for (const arg of end < 0 ? [] : argv.slice(end + 1)) setConfigFile(arg, undefined);

  const command: Command = { name, cliValues, cliOrigins };
  if (configFile !== undefined) command.configFile = configFile;
  if (configFormat !== undefined) command.configFormat = configFormat;
  return command;
}

function flagValue(
  spec: FlagSpec,
  flag: string,
  inline: string | undefined,
  valueFor: (flag: string, inline: string | undefined, placeholder: string) => string,
): unknown {
  if (spec.kind === 'ignored') return spec.takesValue ? valueFor(flag, inline, 'VALUE') : (inline ?? true);
  if (spec.negated) {
    if (inline !== undefined)
      throw new ConfigError(`${flag}: takes no value (use --${spec.name}=${inline})`, 'CORRAL_USAGE');
    return false;
  }
  if (spec.setting.isBoolean) return inline ?? true;
  return valueFor(flag, inline, spec.setting.placeholder);
}

function store(
  spec: FlagSpec,
  flag: string,
  value: unknown,
  values: Record<string, unknown>,
  origins: Record<string, string>,
): void {
  const list = spec.kind === 'setting' && spec.setting.list;
  if (list) {
    values[spec.name] = [...((values[spec.name] as unknown[] | undefined) ?? []), value];
  } else if (spec.name in values) {
    const lists = settingList
      .filter((setting) => setting.list)
      .map((setting) => setting.flag)
      .join(', ');
    throw new ConfigError(`${flag}: given twice; only list options (${lists}) can repeat`, 'CORRAL_USAGE');
  } else {
    values[spec.name] = value;
  }
  origins[spec.name] ??= flag;
}
