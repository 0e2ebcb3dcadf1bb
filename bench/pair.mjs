// Two arbitrary server commands measured both loaded at once (bench/together.mjs), for taking a gap apart by hand: `node bench/pair.mjs PATH ROUNDS 'COMMAND A' 'COMMAND B'`.
//
// Each command is split on spaces and run from the repository's root with PORT and HOST set; `{PORT}` in it becomes
// the port it must listen on (127.0.0.1). Both are pinned to the servers' CPU, warmed up at once for 15 s, then
// measured in ROUNDS rounds of 4 s; the table's last column is B's CPU per request over A's, per round (above 1.00x:
// A spends less). Example, corral's worker against SvelteKit's handler under a bare node:http server:
//   node bench/pair.mjs / 9 'node dist/corral.cjs --module DIR/build/handler.js:handler --http 127.0.0.1:{PORT}' \
//     'node bench/apps/connect-server.mjs DIR/build/handler.js'
import { cpus as cpuList } from 'node:os';
import { fileURLToPath } from 'node:url';
import { planCpus } from './lib/cpus.mjs';
import { commandWords, spawnServer } from './lib/processes.mjs';
import { measurePairs, TOGETHER_HEAD } from './together.mjs';

const [path, rounds, a, b] = process.argv.slice(2);
if (b === undefined || !path.startsWith('/') || !(Number(rounds) >= 2)) {
  process.stderr.write(
    "usage: node bench/pair.mjs PATH ROUNDS 'COMMAND A' 'COMMAND B' (ROUNDS >= 2; {PORT} in a command is its port)\n",
  );
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));

/** A server entry for measurePairs: the command with its port filled in. */
function server(command) {
  return {
    name: command,
    start: (port, cpus) => {
      const [file, ...args] = commandWords(command, port);
      return spawnServer(file, args, { cpus, cwd: root, env: { PORT: String(port), HOST: '127.0.0.1' } });
    },
  };
}

const result = await measurePairs([{ case: 'A vs B', path, servers: [server(a), server(b)] }], {
  cpus: planCpus(cpuList().length),
  rounds: Number(rounds),
  seconds: 4,
  warmup: 15,
});
process.stdout.write(`${TOGETHER_HEAD}${result.lines.join('\n')}\n${result.notes.map((n) => `- ${n}\n`).join('')}`);
