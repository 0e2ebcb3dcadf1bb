// The --help text, generated from the settings table so every flag, env var and default shown is the one corral reads.
import { settingList } from '../config/schema.ts';
import { defaultText, envName, flagName, type Setting } from '../config/setting.ts';
import { ignoredOptions } from '../config/uwsgi-ignored.ts';
import { formatByExtension } from '../config/readers/read-config-file.ts';
import { ExitCode } from '../errors/exit-codes.ts';

function flagsOf(setting: Setting): string {
  const names = [setting.key, ...setting.aliases];
  if (setting.isBoolean)
    return names.map((name) => `${flagName(name)}[=${setting.placeholder}], --no-${name}`).join(', ');
  return names.map((name) => `${flagName(name)} ${setting.placeholder}`).join(', ');
}

function optionBlock(setting: Setting): string {
  const envs = [setting.key, ...setting.aliases].map(envName).join(', ');
  const facts = [
    `env ${envs}${setting.list ? (setting.envSeparator === ',' ? ' (comma-separated)' : ` ("${setting.envSeparator}"-separated)`) : ''}`,
    `default ${defaultText(setting)}`,
  ];
  if (setting.list) facts.push('repeatable');
  return [`  ${flagsOf(setting)}`, `      ${setting.description}`, `      ${facts.join('; ')}`].join('\n');
}

export function helpText(): string {
  const extensions = Object.keys(formatByExtension);
  const extensionList = `${extensions.slice(0, -1).join(', ')} or ${extensions.at(-1) ?? ''}`;
  return [
    'corral: serve a Node.js app over HTTP, with static files and a pool of worker processes, from one config.',
    '',
    'Usage:',
    '  corral [CONFIG] [OPTIONS]          serve the app',
    '  corral check [CONFIG] [OPTIONS]    load and check the config, print it as JSON, and exit',
    '  corral reload [CONFIG] [OPTIONS]   rolling reload of the running corral named by its pidfile (SIGHUP)',
    '  corral stop [CONFIG] [OPTIONS]     graceful stop of that corral (SIGTERM); waits until it has exited',
    '  corral status [CONFIG] [OPTIONS]   one-shot table of that corral from its stats address; exit 0 when all serve',
    '  corral top [CONFIG] [OPTIONS]      live view of that corral from its stats address, redrawn each second (q quits)',
    '  corral systemd [CONFIG] [OPTIONS]  print a systemd unit (Type=notify) for this program and CONFIG',
    '  corral pack CONFIG [-o FILE] [--include DIR]... [--external NAME]...',
    '                                     make one executable of the app, its static files and config (docs/pack.md)',
    '  corral --help | -h                 show this help',
    '  corral --version | -v              show the version',
    '',
    `CONFIG is a ${extensionList} file; --config FILE names it too, and --ini, --yaml or --json FILE`,
    'also fix its format. Each setting comes from, highest first: its flag, its CORRAL_* environment',
    'variable, the config file, the default. Relative paths resolve against chdir, else the config',
    "file's directory, else the current directory.",
    '',
    'Options:',
    ...settingList.map(optionBlock),
    '',
    'Accepted and ignored (uWSGI options with no meaning for a Node.js app; each gives a warning):',
    ...wrapped(
      ignoredOptions.map((option) => flagName(option.key)),
      '  ',
      118,
    ),
    '',
    'Exit codes:',
    `  ${ExitCode.OK}  clean stop: a signal asked for it and in-flight requests finished`,
    `  ${ExitCode.RUNTIME}  runtime failure after a good start`,
    `  ${ExitCode.CONFIG}  bad config or usage: fix the config or the command line`,
    `  ${ExitCode.APP_LOAD}  the app could not be loaded: fix the module`,
    '',
    'Full reference: docs/config.md',
    '',
  ].join('\n');
}

/** Joins `items` with ", " into lines of at most `width` characters, each starting with `indent`. */
function wrapped(items: readonly string[], indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line === '' ? item : `${line}, ${item}`;
    if (line !== '' && indent.length + next.length > width) {
      lines.push(`${indent}${line},`);
      line = item;
    } else {
      line = next;
    }
  }
  if (line !== '') lines.push(`${indent}${line}`);
  return lines;
}
