// `corral top [CONFIG]`: the stats address's snapshot as a terminal view redrawn each second in place (q quits); one frame and exit when stdout is not a terminal.
import type { Command } from './command.ts';
import { loadConfig } from '../config/load.ts';
import type { ListenAddress } from '../config/types.ts';
import { ConfigError } from '../errors/corral-error.ts';
import { ExitCode } from '../errors/exit-codes.ts';
import { fetchSnapshot } from '../stats/fetch-snapshot.ts';
import type { StatsSnapshot } from '../stats/snapshot.ts';
import { topView } from '../stats/top-view.ts';

type ConfigCommand = Extract<Command, { cliValues: unknown }>;

const ALT_SCREEN_ON = '\u001b[?1049h\u001b[?25l';
const ALT_SCREEN_OFF = '\u001b[?25h\u001b[?1049l';
const HOME = '\u001b[H';
const CLEAR_LINE_END = '\u001b[K';
const CLEAR_BELOW = '\u001b[J';
const POLL_MS = 1000;
/** The width of a frame printed to a pipe or file (no terminal to ask), unless COLUMNS says otherwise. */
const PIPE_WIDTH = 120;

/** What the user sees when the stats address does not answer at the start: exit 2, as for a config without stats. */
function unreachable(address: ListenAddress, why: string): ConfigError {
  return new ConfigError(
    `corral top: ${why}; is corral running with this config, and is its stats address ${address.text}?`,
    'CORRAL_STATS_UNREACHABLE',
  );
}

/** Runs `corral top`; resolves with the exit code once the user quits (or at once, with one frame, off a terminal). */
export async function runTop(command: ConfigCommand): Promise<number> {
  const { config } = loadConfig({ ...command, env: process.env, cwd: process.cwd() });
  const address = config.stats?.address;
  if (address === undefined)
    throw new ConfigError(
      'corral top: the config sets no stats address; set stats = 127.0.0.1:9191 (or give --stats ADDRESS) and start corral with it (docs/stats.md)',
      'CORRAL_NO_STATS',
    );
  const token = config.stats?.token;
  const first = await fetchSnapshot(address, token).catch((err: Error) => {
    throw unreachable(address, err.message);
  });
  if (!process.stdout.isTTY) {
    const width = Number(process.env.COLUMNS) > 0 ? Number(process.env.COLUMNS) : PIPE_WIDTH;
    process.stdout.write(topView(first, undefined, width));
    return ExitCode.OK;
  }
  return live(address, token, first);
}

/** The terminal loop: alternate screen, a redraw per snapshot or resize, q / Ctrl-C / SIGINT / SIGTERM to leave. */
function live(address: ListenAddress, token: string | undefined, first: StatsSnapshot): Promise<number> {
  const out = process.stdout;
  const input = process.stdin;
  let current = first;
  let previous: StatsSnapshot | undefined;
  let problem: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const draw = () => {
    const width = out.columns || 80;
    const rows = out.rows || 24;
    const status = problem === undefined ? 'q quits' : `no answer, retrying: ${problem}  |  q quits`;
    const lines = topView(current, previous, width)
      .split('\n')
      .slice(0, -1)
      .slice(0, rows - 2);
    const frame = [...lines, '', status.slice(0, width)];
    out.write(`${HOME}${frame.join(`${CLEAR_LINE_END}\n`)}${CLEAR_LINE_END}${CLEAR_BELOW}`);
  };

  const poll = async () => {
    try {
      const next = await fetchSnapshot(address, token);
      if (next.at !== current.at) previous = current;
      current = next;
      problem = undefined;
    } catch (err) {
      problem = (err as Error).message;
    }
    if (stopped) return;
    draw();
    timer = setTimeout(() => void poll(), POLL_MS);
  };

  return new Promise<number>((resolve) => {
    const onKey = (key: Buffer) => {
      const text = key.toString('utf8');
      if (text === 'q' || text === 'Q' || text === '\u0003') stop();
    };
    // Whatever ends the process, the terminal gets its screen back.
    const restore = () => out.write(ALT_SCREEN_OFF);
    const stop = () => {
      if (stopped) return;
      stopped = true;
      process.off('exit', restore);
      clearTimeout(timer);
      out.off('resize', draw);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (input.isTTY) {
        input.off('data', onKey);
        input.setRawMode(false);
        input.pause();
      }
      out.write(ALT_SCREEN_OFF);
      resolve(ExitCode.OK);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('exit', restore);
    out.on('resize', draw);
    if (input.isTTY) {
      input.setRawMode(true);
      input.on('data', onKey);
      input.resume();
    }
    out.write(ALT_SCREEN_ON);
    draw();
    timer = setTimeout(() => void poll(), POLL_MS);
  });
}
