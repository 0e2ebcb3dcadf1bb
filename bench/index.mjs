// `npm run bench`: runs corral's benchmarks on 127.0.0.1 (bounded in count and time), prints Markdown tables and saves them in bench/results/.
import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchStartup, startupTable } from './startup.mjs';

const header = `${new Date().toISOString().slice(0, 10)}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, Linux`;
const startup = startupTable(await benchStartup());
const report = `# corral benchmarks\n\n${header}\n\n## Start-up and footprint\n\n${startup}\n`;
process.stdout.write(`${report}\n`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.md', import.meta.url), report);
