// `corral status [CONFIG]`: reads /stats.json from the stats address the config names and prints a one-shot table of the master and its workers; exit 0 when every worker serves.
import type { Command } from './command.ts';
import { loadConfig } from '../config/load.ts';
import { ConfigError } from '../errors/corral-error.ts';
import { ExitCode } from '../errors/exit-codes.ts';
import { fetchSnapshot, StatsUnreachable } from '../stats/fetch-snapshot.ts';
import { allServing, statusTable } from '../stats/table.ts';

type ConfigCommand = Extract<Command, { cliValues: unknown }>;

/** Prints the table; resolves with 0 when every worker is idle or busy, 1 when one is not. No stats address or no answer: ConfigError (exit 2). */
export async function showStatus(command: ConfigCommand): Promise<number> {
  const { config } = loadConfig({ ...command, env: process.env, cwd: process.cwd() });
  const address = config.stats?.address;
  if (address === undefined)
    throw new ConfigError(
      'corral status: the config has no stats address; set stats (e.g. stats = 127.0.0.1:9191) in the config corral ' +
        'runs with, or give --stats ADDRESS, and restart corral',
      'CORRAL_NO_STATS',
    );
  try {
    const snapshot = await fetchSnapshot(address, config.stats?.token);
    process.stdout.write(statusTable(snapshot));
    return allServing(snapshot) ? ExitCode.OK : ExitCode.RUNTIME;
  } catch (err) {
    if (!(err instanceof StatsUnreachable)) throw err;
    throw new ConfigError(
      `corral status: ${err.message}; is corral running with this config (stats ${address.text})? start it first`,
      'CORRAL_STATS_UNREACHABLE',
    );
  }
}
