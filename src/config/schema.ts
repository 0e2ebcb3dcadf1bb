// Every corral setting, declared once: validation, the CLI flags and --help, env vars, docs/config.md and the JSON Schema all derive from this table.
import { z } from 'zod';
import { defineSetting, type Setting } from './setting.ts';
import { listenAddressType } from './values/listen-address.ts';
import { staticMountType, type MountSpec } from './values/static-mount.ts';
import { moduleRefType } from './values/module-ref.ts';
import { processCountType } from './values/processes.ts';
import { booleanType } from './values/boolean.ts';
import { directoryPathType } from './values/path.ts';
import { envEntryType } from './values/env-entry.ts';
import { secondsType } from './values/seconds.ts';
import type { ListenAddress, ModuleRef } from './types.ts';

/** Validated setting values, before paths are resolved and checked (see resolve.ts). */
export interface SettingValues {
  http: ListenAddress[];
  'static-map': MountSpec[];
  module: ModuleRef | undefined;
  processes: number | 'auto';
  master: boolean;
  chdir: string | undefined;
  env: [string, string][];
  'graceful-timeout': number;
  vacuum: boolean;
}

type Item<V> = V extends readonly (infer I)[] ? I : Exclude<V, undefined>;

export const settings: { readonly [K in keyof SettingValues]: Setting<Item<SettingValues[K]>> } = {
  http: defineSetting({
    key: 'http',
    type: listenAddressType,
    list: true,
    default: ['127.0.0.1:8080'],
    description: 'Address to serve HTTP on: ":8080", "127.0.0.1:8080", "[::1]:8080", or a unix socket path. Repeat for more.',
    placeholder: 'ADDRESS',
  }),
  'static-map': defineSetting({
    key: 'static-map',
    type: staticMountType,
    list: true,
    mapping: true,
    default: [],
    description: 'Serve files under URL PREFIX from directory DIR, before the app sees the request. Repeat for more.',
    placeholder: 'PREFIX=DIR',
  }),
  module: defineSetting({
    key: 'module',
    type: moduleRefType,
    default: undefined,
    description: 'The app to load: a .js/.mjs/.cjs/.ts file, with ":name" to use a named export instead of the default.',
    placeholder: 'FILE[:EXPORT]',
  }),
  processes: defineSetting({
    key: 'processes',
    aliases: ['workers'],
    type: processCountType,
    default: 1,
    description: 'How many worker processes serve requests; "auto" means one per CPU.',
    placeholder: 'N|auto',
  }),
  master: defineSetting({
    key: 'master',
    type: booleanType,
    default: true,
    description: 'Run a master process that starts, watches and restarts the workers; false runs one process with no supervisor.',
    placeholder: 'BOOL',
  }),
  chdir: defineSetting({
    key: 'chdir',
    type: directoryPathType,
    default: undefined,
    description: 'Directory to change into before loading the app; other relative paths resolve against it.',
    placeholder: 'DIR',
  }),
  env: defineSetting({
    key: 'env',
    type: envEntryType,
    list: true,
    mapping: true,
    default: [],
    description: 'Environment variable to set before the app loads. Repeat for more.',
    placeholder: 'NAME=VALUE',
  }),
  'graceful-timeout': defineSetting({
    key: 'graceful-timeout',
    type: secondsType,
    default: 30,
    description: 'Seconds to let in-flight requests finish on stop before workers are killed.',
    placeholder: 'SECONDS',
  }),
  vacuum: defineSetting({
    key: 'vacuum',
    type: booleanType,
    default: false,
    description: 'Remove files corral created (such as unix sockets) on exit.',
    placeholder: 'BOOL',
  }),
};

export type SettingKey = keyof SettingValues;

/** The table in declaration order. */
export const settingList: readonly Setting[] = Object.values(settings) as readonly Setting[];

/** Finds a setting by its key or one of its aliases. */
export function findSetting(name: string): Setting | undefined {
  return settingList.find((setting) => setting.key === name || setting.aliases.includes(name));
}

function buildObjectSchema(): z.ZodType<SettingValues, Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const setting of settingList) {
    const value = setting.list ? z.array(setting.type.schema) : setting.type.schema;
    shape[setting.key] = setting.default === undefined ? value.optional() : value;
  }
  // The shape is built from the table above, so its output matches SettingValues by construction.
  return z.strictObject(shape) as unknown as z.ZodType<SettingValues, Record<string, unknown>>;
}

/** The strict object schema all merged values are validated with (canonical keys; lists as arrays). */
export const settingsObjectSchema = buildObjectSchema();
