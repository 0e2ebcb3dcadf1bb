// `corral systemd [CONFIG]`: prints a systemd service unit (Type=notify) for this corral program and config, with a socket unit for socket activation commented below it.
import { basename, dirname, extname } from 'node:path';
import type { Command } from './command.ts';
import { loadConfig } from '../config/load.ts';
import type { Config, ListenAddress } from '../config/types.ts';
import { ExitCode } from '../errors/exit-codes.ts';

/** Seconds systemd waits beyond shutdown-delay + graceful-timeout before its SIGKILL: corral kills late workers at graceful-timeout and needs a moment to reap them and exit. */
const STOP_MARGIN_S = 10;

export interface UnitInput {
  /** The program and its arguments before the config: [the single executable] or [node, corral.cjs]. */
  program: string[];
  /** The config's absolute path; undefined when corral runs from flags and the environment only. */
  configPath: string | undefined;
  workingDirectory: string;
  gracefulTimeout: number;
  shutdownDelay: number;
  uid?: number;
  gid?: number;
  http: readonly ListenAddress[];
}

/** The unit's name: the config file's name without its extension (app.yaml -> app), else "corral". */
export function unitName(configPath: string | undefined): string {
  if (configPath === undefined) return 'corral';
  const name = basename(configPath, extname(configPath)).replace(/[^A-Za-z0-9:_.\\-]/g, '-');
  return name === '' ? 'corral' : name;
}

/** A word of ExecStart=: quoted when it holds a space, a quote or a backslash (systemd's own quoting rules). */
function execWord(word: string): string {
  return /^[^\s"'\\$%;]+$/.test(word)
    ? word
    : `"${word
        .replace(/[\\"]/g, (c) => `\\${c}`)
        .replace(/%/g, '%%')
        .replace(/\$/g, '$$$$')}"`;
}

/** ListenStream= for an http address: a port alone binds every interface, as `:8080` does. */
function listenStream(address: ListenAddress): string {
  if (address.kind === 'unix') return address.path;
  if (address.host === undefined || address.host === '' || address.host === '0.0.0.0') return String(address.port);
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** The service unit, then the socket unit as comments. Pure: everything it needs comes in `input`. */
export function systemdUnit(input: UnitInput): string {
  const name = unitName(input.configPath);
  const exec = [...input.program, ...(input.configPath === undefined ? [] : [input.configPath])].map(execWord);
  const stopSeconds = Math.ceil(input.shutdownDelay + input.gracefulTimeout) + STOP_MARGIN_S;
  const identity: string[] = [];
  if (input.uid !== undefined || input.gid !== undefined) {
    identity.push(
      '# From uid/gid: the master runs as this user too, so corral switches no user itself. Ports below 1024 then',
      '# need: AmbientCapabilities=CAP_NET_BIND_SERVICE',
    );
    if (input.uid !== undefined) identity.push(`User=${input.uid}`);
    if (input.gid !== undefined) identity.push(`Group=${input.gid}`);
  }
  const streams = input.http.map((address) => `# ListenStream=${listenStream(address)}`);
  return [
    `# /etc/systemd/system/${name}.service (written by corral systemd)`,
    '[Unit]',
    `Description=${name} on corral`,
    'After=network.target',
    `# With socket activation (${name}.socket below), also:`,
    `# Requires=${name}.socket`,
    `# After=${name}.socket`,
    '',
    '[Service]',
    // READY=1 once the workers serve; RELOADING=1/READY=1 around a reload; STOPPING=1 at the stop.
    'Type=notify',
    '# corral sends its notifications through systemd-notify, a child of the main process: NotifyAccess=main',
    '# would refuse them (docs/deployment.md).',
    'NotifyAccess=all',
    `WorkingDirectory=${input.workingDirectory}`,
    `ExecStart=${exec.join(' ')}`,
    '# SIGHUP: a rolling reload (new workers serve before the old ones drain).',
    'ExecReload=/bin/kill -HUP $MAINPID',
    '# SIGTERM: shutdown-delay, then a graceful stop within graceful-timeout.',
    'KillSignal=SIGTERM',
    '# SIGTERM to the master only: it stops the workers in order; SIGKILL to all of them at TimeoutStopSec.',
    'KillMode=mixed',
    `TimeoutStopSec=${stopSeconds}`,
    '# Exit codes 2 (bad config) and 3 (the app cannot load) will not fix themselves.',
    'Restart=on-failure',
    'RestartPreventExitStatus=2 3',
    ...identity,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
    `# Socket activation: save the lines below (without "# ") as /etc/systemd/system/${name}.socket, then`,
    `# systemctl enable --now ${name}.socket. systemd then holds the listening sockets, corral serves on them`,
    '# instead of binding its http addresses (in the same order), and a restart of corral itself',
    '# (systemctl restart, a new binary) drops no connection: they wait in the socket queue meanwhile.',
    '#',
    '# [Unit]',
    `# Description=${name} on corral (listening sockets)`,
    '#',
    '# [Socket]',
    ...streams,
    '# NoDelay=true',
    '#',
    '# [Install]',
    '# WantedBy=sockets.target',
    '',
  ].join('\n');
}

/** The program that runs now, as ExecStart= must start it again: the single executable, or node and the bundle. */
function currentProgram(): string[] {
  const sea = process.getBuiltinModule?.('node:sea') as { isSea?: () => boolean } | undefined;
  if (sea?.isSea?.() === true || process.argv[1] === undefined) return [process.execPath];
  return [process.execPath, process.argv[1]];
}

function unitInput(config: Config, program = currentProgram()): UnitInput {
  return {
    program,
    configPath: config.source,
    // chdir is where the app runs; without it, the config's directory (what relative paths in it resolve against).
    workingDirectory: config.chdir ?? (config.source === undefined ? process.cwd() : dirname(config.source)),
    gracefulTimeout: config.gracefulTimeout,
    shutdownDelay: config.shutdownDelay,
    ...(config.uid !== undefined && { uid: config.uid }),
    ...(config.gid !== undefined && { gid: config.gid }),
    http: config.http,
  };
}

/** Loads the config (exit 2 if it is invalid) and prints its unit. */
export function printSystemdUnit(command: Extract<Command, { cliValues: unknown }>): number {
  const { config, warnings } = loadConfig({ ...command, env: process.env, cwd: process.cwd() });
  for (const warning of warnings) process.stderr.write(`corral: warning: ${warning}\n`);
  if (Object.keys(command.cliValues).length > 0)
    process.stderr.write(
      'corral: warning: the unit starts corral with the config file only: put these options in it\n',
    );
  process.stdout.write(systemdUnit(unitInput(config)));
  return ExitCode.OK;
}
