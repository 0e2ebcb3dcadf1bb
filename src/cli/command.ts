// What the command line asks corral to do, as parseArgs returns it.
import type { ConfigFormat } from '../config/readers/read-config-file.ts';

export type Command =
  | {
      /** serve and check run the config; reload and stop signal the master named by its pidfile; top reads its stats address; systemd prints a unit. */
      name: 'serve' | 'check' | 'reload' | 'stop' | 'top' | 'status' | 'systemd';
      /** The config file as typed, if any. */
      configFile?: string;
      /** Set by --ini/--yaml/--json FILE: read the file as this format whatever its extension. */
      configFormat?: ConfigFormat;
      /** Setting values keyed by the name typed (a key or an alias, e.g. `workers`); list settings as arrays of strings. */
      cliValues: Record<string, unknown>;
      /** The flag typed for each cliValues key (e.g. `master` → `--no-master`), for error messages. */
      cliOrigins: Record<string, string>;
    }
  | { name: 'help' }
  /** `corral pack ...`: the words after "pack", parsed by src/pack/args.ts. */
  | { name: 'pack'; argv: string[] }
  | { name: 'version' };
