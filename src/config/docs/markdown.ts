// Renders docs/config.md from the settings table and the reader rules, so the reference never drifts from what corral reads.
import { settingList } from '../schema.ts';
import { defaultText, envName, flagName, type Setting } from '../setting.ts';
import { ignoredOptions } from '../uwsgi-ignored.ts';
import { moduleExtensions } from '../paths.ts';
import { formatByExtension } from '../readers/read-config-file.ts';

/** Table cells: pipes would split the cell. */
const cell = (text: string): string => text.replace(/\|/g, '\\|');
const code = (text: string): string => `\`${text}\``;
const shownDefault = (setting: Setting): string =>
  setting.default === undefined || defaultText(setting) === 'none' ? 'none' : cell(code(defaultText(setting)));

function flagsOf(setting: Setting): string {
  const names = [setting.key, ...setting.aliases];
  if (setting.isBoolean)
    return names
      .map(
        (name) =>
          `${code(flagName(name))}, ${code(`--no-${name}`)}, ${code(`${flagName(name)}=${setting.placeholder}`)}`,
      )
      .join(', ');
  return (
    names.map((name) => code(`${flagName(name)} ${setting.placeholder}`)).join(', ') +
    (setting.list ? ' (repeat for more)' : '')
  );
}

function typeOf(setting: Setting): string {
  return setting.list ? `list of ${setting.type.label}` : setting.type.label;
}

function summaryTable(): string[] {
  return [
    '| Key | Type | Default | Flag | Env var |',
    '| --- | --- | --- | --- | --- |',
    ...settingList.map(
      (setting) =>
        `| [${code(setting.key)}](#${setting.key}) | ${cell(typeOf(setting))} | ${shownDefault(setting)} | ${code(setting.flag)} | ${code(setting.env)} |`,
    ),
  ];
}

function settingSection(setting: Setting): string[] {
  const envs = [setting.key, ...setting.aliases].map((name) => code(envName(name))).join(', ');
  return [
    `### ${setting.key}`,
    '',
    setting.description,
    '',
    '| | |',
    '| --- | --- |',
    `| Aliases | ${setting.aliases.length === 0 ? 'none' : setting.aliases.map(code).join(', ')} |`,
    `| Type | ${cell(typeOf(setting))}${setting.mapping ? ' (or a YAML/JSON mapping)' : ''} |`,
    `| Accepts | ${cell(setting.type.expected)} |`,
    `| Default | ${shownDefault(setting)} |`,
    `| CLI flag | ${cell(flagsOf(setting))} |`,
    `| Env var | ${envs}${setting.list ? (setting.envSeparator === ',' ? ' (comma-separated list)' : ` ("${setting.envSeparator}"-separated list)`) : ''} |`,
    '',
  ];
}

const prose = {
  intro: [
    '# corral configuration',
    '',
    'corral reads one config file (YAML, INI or JSON), `CORRAL_*` environment variables and command-line flags.',
    'Every setting can be given in all three places. `corral check CONFIG` loads, checks and prints the resolved',
    'config as JSON without starting anything.',
    '',
    '```ini',
    '[uwsgi]',
    'http       = :8000',
    'static-map = /static=%d/static',
    'chdir      = %d',
    'module     = app.js',
    'processes  = 4',
    '```',
    '',
  ],
  precedence: [
    '## Where settings come from',
    '',
    'Highest first:',
    '',
    '1. command-line flags (`--processes 4`);',
    '2. environment variables (`CORRAL_PROCESSES=4`);',
    '3. the config file;',
    '4. the defaults below.',
    '',
    'A setting given at a higher level replaces the lower one whole, lists included: `--http :9000` replaces',
    'every `http` in the file. Within one place a setting may be given once, except the list settings,',
    'which build a list when repeated. An alias and its key (`workers` and `processes`) in the same',
    'place is an error.',
    '',
    `The config file is the one positional argument (\`corral app.yaml\`) or \`--config FILE\`; its format comes from`,
    `its extension (${Object.keys(formatByExtension).map(code).join(', ')}). uWSGI-style \`--ini FILE\`, \`--yaml FILE\` and \`--json FILE\``,
    'name the file and fix its format whatever the extension. Any other extension is an error (exit 2).',
    '',
  ],
  values: [
    '## Values',
    '',
    '- **Booleans** accept `true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0` in any case, and real YAML/JSON',
    '  booleans. On the command line `--master` means true, `--no-master` false, and `--master=off` works too;',
    '  a boolean flag never takes the next argument as its value.',
    '- **Lists** (`http`, `static-map`, `env`): in a config file repeat the INI key or give a YAML/JSON list; a',
    '  single value is a one-item list. `static-map` and `env` also take a YAML/JSON mapping (`/static: ./public`,',
    '  `NODE_ENV: production`). On the command line repeat the flag. In an environment variable separate items',
    '  with commas (`CORRAL_HTTP=:8080,/run/app.sock`): spaces around items are trimmed, empty items dropped, and',
    '  there is no escaping, so an item containing a comma must come from the file or a flag (`CORRAL_HTTPS` is the',
    '  exception: its items hold commas, so it separates them with ";").',
    '- **Environment variables** are `CORRAL_` and the key in upper case with `-` as `_`; aliases have their own',
    '  (`CORRAL_WORKERS`). An empty variable counts as unset. Other `CORRAL_*` variables are not settings and are',
    '  ignored (corral uses some internally).',
    '- **Paths**: relative paths (`chdir`, `static-map` directories, `module`, unix socket addresses) resolve',
    "  against `chdir`, else the config file's directory, else the current directory; `chdir` itself resolves",
    "  against the config file's directory, else the current directory. This holds for paths from flags and",
    '  environment variables too. `chdir` and every `static-map` directory must exist and be directories.',
    `- **module** must name an existing file; a path without an extension also tries ${moduleExtensions.map(code).join(', ')},`,
    '  in that order. The text after the last `:` is the export to use when it is a JavaScript identifier',
    '  (`app.js:handler`); otherwise the `:` is part of the path.',
    '- **processes** `auto` is one worker per CPU (`os.availableParallelism()`). With `master = false` one process',
    '  serves, whatever `processes` says (corral warns).',
    '- **http**: a bare port (`8080`, also a YAML/JSON number) or `:8080` listens on every interface; an address with',
    '  a `/` is a unix socket path. With no `http` at all corral listens on `127.0.0.1:8080`.',
    '',
  ],
  ini: [
    '## INI files',
    '',
    "corral reads uWSGI's dialect:",
    '',
    '- Settings live in a `[corral]` or `[uwsgi]` section (both are read the same way). Other sections are',
    '  skipped with a warning; a setting before any section, or a file with neither section, is an error.',
    '- Each setting is `key = value`; spaces around the key and the value are trimmed, and the value is taken',
    '  as written (quotes are not removed). Values are text; the setting turns them into numbers or booleans.',
    '- Comments are whole lines starting with `;` or `#`. There are no inline comments: a `;` or `#` later in a',
    '  line is part of the value, as in uWSGI.',
    '- Repeating a list key (`static-map` twice) gives two items. Repeating any other key is an error.',
    '',
    '### Magic variables',
    '',
    'In every config file format (INI, YAML and JSON strings; not in flags or environment variables):',
    '',
    '| Write | Becomes |',
    '| --- | --- |',
    "| `%d` | the config file's directory, **with** a trailing `/` (so `%dstatic` and `%d/static` both work) |",
    "| `%p` | the config file's absolute path |",
    "| `%s` | the config file's name (`app.ini`) |",
    "| `%n` | the config file's name without extension (`app`) |",
    "| `%e` | the config file's extension without the dot (`ini`) |",
    "| `%c` | the name of the config file's directory |",
    '| `%%` | a single `%` |',
    '| `$(NAME)` | the environment variable `NAME`; if it is not set, corral stops with exit code 2 naming it (set but empty gives an empty string) |',
    '',
    'Any other `%` sequence is kept as written.',
    '',
  ],
  yamlJson: [
    '## YAML and JSON files',
    '',
    'The top level is a mapping (object) of settings. As in uWSGI, the settings may instead be nested under a',
    'top-level `corral:` or `uwsgi:` key; other top-level keys are then skipped with a warning. YAML is read as',
    'YAML 1.2, where `yes`/`no` are strings: corral still takes them as booleans. A key given twice is an error.',
    'Editors can complete and check keys with `schema/corral.schema.json`, e.g. by starting a YAML file with',
    '`# yaml-language-server: $schema=./node_modules/corral/schema/corral.schema.json`.',
    '',
  ],
  errors: [
    '## Errors and warnings',
    '',
    'A bad config stops corral with exit code 2 before anything starts, listing every problem found, one per',
    'line, each starting with where the value came from:',
    '',
    '```text',
    'app.ini:4: unknown option "proceses" (did you mean "processes"?)',
    'app.yaml:7: processes: expected an integer >= 1 or "auto", got "four"',
    'CORRAL_MASTER: expected true/false, yes/no, on/off or 1/0, got "maybe"',
    '--http: expected an address like ":8080", "8080", "127.0.0.1:8080", "[::1]:8080", or a unix socket path containing "/", got "localhost"',
    '```',
    '',
  ],
  ignored: [
    '## uWSGI options corral ignores',
    '',
    'These uWSGI options mean nothing for a Node.js app. corral accepts them (in files and as flags) so uWSGI',
    'configs load unchanged, and warns once for each:',
    '',
    '| Key | Why it is ignored |',
    '| --- | --- |',
  ],
};

export function renderConfigMarkdown(): string {
  const lines = [
    '<!-- Generated by build/gen-docs.mjs from src/config/schema.ts. Do not edit by hand: run `npm run gen`. -->',
    '',
    ...prose.intro,
    ...prose.precedence,
    '## Settings',
    '',
    ...summaryTable(),
    '',
    ...settingList.flatMap(settingSection),
    ...prose.values,
    ...prose.ini,
    ...prose.yamlJson,
    ...prose.errors,
    ...prose.ignored,
    ...ignoredOptions.map((option) => `| ${code(option.key)} | ${cell(option.reason)} |`),
    '',
  ];
  return lines.join('\n');
}
