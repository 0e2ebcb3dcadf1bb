// `corral reload` and `corral stop`: find the running master through the config's pidfile and send it SIGHUP or SIGTERM.
import { readFileSync } from 'node:fs';
import type { Command } from './command.ts';
import { loadConfig } from '../config/load.ts';
import { ConfigError, CorralError } from '../errors/corral-error.ts';
import { ExitCode } from '../errors/exit-codes.ts';

type Action = 'reload' | 'stop';
type ConfigCommand = Extract<Command, { cliValues: unknown }>;

const SIGNAL: Record<Action, NodeJS.Signals> = { reload: 'SIGHUP', stop: 'SIGTERM' };
/** `corral stop` waits this much longer than graceful-timeout for the master to be gone. */
const STOP_MARGIN_MS = 5000;

function notRunning(message: string): CorralError {
  return new CorralError('CORRAL_NOT_RUNNING', message, ExitCode.RUNTIME);
}

function readPid(pidfile: string, action: Action): number {
  let text: string;
  try {
    text = readFileSync(pidfile, 'utf8');
  } catch (err) {
    throw notRunning(
      `corral ${action}: cannot read the pidfile ${pidfile} (${(err as NodeJS.ErrnoException).code ?? String(err)}); is corral running?`,
    );
  }
  const pid = Number(text.trim());
  if (!Number.isSafeInteger(pid) || pid <= 1)
    throw notRunning(`corral ${action}: the pidfile ${pidfile} holds no pid ("${text.trim()}")`);
  return pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Signals the master; for a stop, waits until it has exited. Resolves with the exit code of this command. */
export async function signalMaster(command: ConfigCommand, action: Action): Promise<number> {
  const { config } = loadConfig({ ...command, env: process.env, cwd: process.cwd() });
  if (config.pidfile === undefined) {
    throw new ConfigError(
      `corral ${action}: no pidfile; set pidfile in the config, or give --pidfile FILE (the one the master was started with)`,
      'CORRAL_USAGE',
    );
  }
  const pid = readPid(config.pidfile, action);
  try {
    process.kill(pid, SIGNAL[action]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH')
      throw notRunning(
        `corral ${action}: no process ${pid} (from ${config.pidfile}): corral is not running; the pidfile is stale`,
      );
    throw notRunning(`corral ${action}: cannot signal process ${pid} (${code ?? String(err)})`);
  }
  if (action === 'reload') {
    process.stdout.write(`corral: asked master ${pid} for a rolling reload (SIGHUP); its log says how it went\n`);
    return ExitCode.OK;
  }
  const waitMs = config.gracefulTimeout * 1000 + STOP_MARGIN_MS;
  const deadline = Date.now() + waitMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline)
      throw notRunning(`corral stop: master ${pid} is still running ${waitMs / 1000} s after SIGTERM`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.stdout.write(`corral: master ${pid} stopped\n`);
  return ExitCode.OK;
}
