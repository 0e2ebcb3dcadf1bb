// `npm run bench`: runs corral's benchmarks on 127.0.0.1 (bounded in count and time), prints Markdown tables and saves them in bench/results/.
// `npm run bench -- --quick` runs a short version of the static comparison (1 run of 3 s per case).
import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchReload } from './reload.mjs';
import { benchStartup, startupTable } from './startup.mjs';
import { benchStatic } from './static.mjs';
import { benchStaticMemory, MEMORY_HEADER } from './static-memory.mjs';

const quick = process.argv.includes('--quick');
const header = `${new Date().toISOString().slice(0, 10)}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, Linux`;
const startup = startupTable(await benchStartup());
const files = await benchStatic({ quick });
const memory = MEMORY_HEADER + (await benchStaticMemory({ entry: 'sea' })) + (await benchStaticMemory({ entry: 'npm' }));
const reloads = await benchReload();
const how = files.runs === undefined ? '' : `wrk -t1 -c64, warm-up then ${files.runs} run(s) of ${files.seconds} s per server, alternating; medians; unpinned.\n\n`;
const notes = files.notes.length === 0 ? '' : `\n${files.notes.map((note) => `- ${note}`).join('\n')}\n`;
const report =
  `# corral benchmarks\n\n${header}\n\n## Start-up and footprint\n\n${startup}\n` +
  `## Static files: corral (single executable, 2 workers) vs nginx (2 workers, sendfile) vs sirv (1 process)\n\n${how}${files.table}${notes}\n` +
  `## Static files: worker memory\n\n${memory}` +
  `\n## Rolling reloads and recycling under load\n\n${reloads}`;
process.stdout.write(`${report}\n`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.md', import.meta.url), report);
