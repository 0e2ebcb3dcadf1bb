// Turns validated settings into the resolved Config: relative paths made absolute, directories and the module checked, "auto" counted.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Entry } from './collect.ts';
import { readCpuQuota, workersForQuota } from './cpu-quota.ts';
import { messagePrefix } from './origin.ts';
import { directoryProblem, findModuleFile } from './paths.ts';
import { resolveFramework } from './resolve-framework.ts';
import { resolveLifecycle } from './resolve-lifecycle.ts';
import { resolveLogging } from './resolve-logging.ts';
import { resolveTls } from './resolve-tls.ts';
import { resolveStats } from './resolve-stats.ts';
import { settings, type SettingValues } from './schema.ts';
import type { Config, ListenAddress } from './types.ts';

export interface ResolveContext {
  /** Absolute path of the config file, if one was read. */
  configPath: string | undefined;
  cwd: string;
}

export type Resolved = { ok: true; config: Config; warnings: string[] } | { ok: false; errors: string[] };

/** The default listen addresses, parsed once from the table's default. */
function defaultHttp(): ListenAddress[] {
  return (settings.http.default as unknown[]).map((raw) => settings.http.type.schema.parse(raw));
}

/**
 * Relative paths resolve against `chdir` (itself resolved against the config file's directory, else cwd), else against the
 * config file's directory, else against cwd.
 */
export function resolveConfig(
  given: SettingValues,
  entries: ReadonlyMap<string, Entry>,
  context: ResolveContext,
): Resolved {
  const errors: string[] = [];
  const warnings: string[] = [];
  const prefix = (key: keyof SettingValues, item?: number): string => {
    const entry = entries.get(key);
    return entry === undefined ? `${key}: ` : messagePrefix(entry.origin, entry.written, item);
  };

  const configDir = context.configPath === undefined ? undefined : dirname(context.configPath);
  let chdir: string | undefined;
  if (given.chdir !== undefined) {
    chdir = resolve(configDir ?? context.cwd, given.chdir);
    const problem = directoryProblem(chdir);
    if (problem !== undefined) errors.push(`${prefix('chdir')}${problem}`);
  }
  const base = chdir ?? configDir ?? context.cwd;
  const { values, framework } =
    errors.length > 0
      ? { values: given, framework: undefined }
      : resolveFramework(given, entries, base, prefix, errors);

  // The default http address applies when no listener at all is given: an https-only config serves no plain HTTP.
  const givenHttp = values.http.length > 0 ? values.http : defaultHttp();
  const http = (entries.get('http')?.origin.kind !== 'default' || values.https.length === 0 ? givenHttp : []).map(
    (address): ListenAddress => {
      if (address.kind === 'tcp') return address;
      const path = resolve(base, address.path);
      return { kind: 'unix', path, text: path };
    },
  );

  const staticMap = values['static-map'].map((mount, index) => {
    const dir = resolve(base, mount.dir);
    const problem = directoryProblem(dir);
    if (problem !== undefined) errors.push(`${prefix('static-map', index)}${problem} (for "${mount.prefix}")`);
    return { prefix: mount.prefix, dir };
  });

  const directories = (key: 'check-static' | 'static-safe') =>
    values[key].map((dir, index) => {
      const absolute = resolve(base, dir);
      const problem = directoryProblem(absolute);
      if (problem !== undefined) errors.push(`${prefix(key, index)}${problem}`);
      return absolute;
    });
  const checkStatic = directories('check-static');
  const staticSafe = directories('static-safe');
  const staticFallback = values['static-fallback'].map((rule, index) => {
    const file = resolve(base, rule.file);
    if (!statSync(file, { throwIfNoEntry: false })?.isFile())
      errors.push(`${prefix('static-fallback', index)}file "${file}" does not exist (for "${rule.prefix}")`);
    return { prefix: rule.prefix, file };
  });

  let module: Config['module'];
  if (framework?.glue === true && values.module !== undefined) {
    // The framework's glue loads the app from this path (the project directory, or a file of the build it checked).
    module = { file: resolve(base, values.module.file), exportName: values.module.exportName, glue: framework.name };
  } else if (values.module !== undefined) {
    const found = findModuleFile(resolve(base, values.module.file));
    if ('problem' in found) errors.push(`${prefix('module')}${found.problem}`);
    else module = { file: found.file, exportName: values.module.exportName };
  }

  // auto: one per CPU this process may run on, and no more than the whole CPUs of its cgroup's quota (cpu-quota.ts).
  const processes =
    values.processes === 'auto' ? workersForQuota(readCpuQuota(), availableParallelism()) : values.processes;
  if (!values.master && processes > 1) {
    warnings.push(
      `${prefix('processes')}${processes} is ignored because master is false: one process serves, with no supervisor`,
    );
  }

  if (!values.master && values['sticky-sessions']) {
    warnings.push(`${prefix('sticky-sessions')}ignored because master is false: one process takes every connection`);
  }

  const lifecycle = resolveLifecycle(values, base, prefix, errors, warnings);
  const tls = resolveTls(values, base, prefix, errors);
  const logging = resolveLogging(values, base, (key) => prefix(key), errors, warnings);
  const stats = resolveStats(values, base, (key) => prefix(key), errors, warnings);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    warnings,
    config: {
      source: context.configPath,
      http,
      forwardedAllowIps: [...new Set(values['forwarded-allow-ips'].flat())],
      proxyProtocol: values['proxy-protocol'],
      limitPost: values['limit-post'],
      clientLimits: {
        headerTimeoutMs: Math.round(values['client-header-timeout'] * 1000),
        bodyTimeoutMs: Math.round(values['client-body-timeout'] * 1000),
        keepAliveTimeoutMs: Math.round(values['keepalive-timeout'] * 1000),
        sendTimeoutMs: Math.round(values['send-timeout'] * 1000),
        requestLine: values['limit-request-line'],
        requestFields: values['limit-request-fields'],
        requestFieldSize: values['limit-request-field-size'],
        headerSize: values['max-header-size'],
        connections: values['max-connections'],
        connectionsPerIp: values['max-connections-per-ip'],
        abuseBanMs: values['abuse-ban'] * 1000,
      },
      stickySessions: values['sticky-sessions'],
      schedulingPolicy: values['scheduling-policy'],
      disableLogging: values['disable-logging'],
      staticMap,
      staticIndex: values['static-index'],
      staticExpires: values['static-expires'],
      checkStatic,
      staticSafe,
      staticGzipAll: values['static-gzip-all'],
      staticCompress: values['static-compress'],
      staticCacheSize: values['static-cache-size'],
      staticFallback,
      module,
      framework,
      processes,
      master: values.master,
      chdir,
      env: Object.fromEntries(values.env),
      gracefulTimeout: values['graceful-timeout'],
      shutdownDelay: values['shutdown-delay'],
      ...(values['health-path'] !== undefined && { healthPath: values['health-path'] }),
      vacuum: values.vacuum,
      ...lifecycle,
      ...tls,
      ...stats,
      ...logging,
    },
  };
}
