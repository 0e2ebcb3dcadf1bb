// `npm run bench`: corral side by side with the servers users would pick instead, on 127.0.0.1, bounded in time; prints a Markdown report and writes it with an SVG chart to bench/results/.
// `npm run bench -- --quick`: a smoke run (1 short run per case, no memory or reload sections), written to bench/results/quick.*.
// `--only=hello,static` runs some sections (startup, hello, together, static, frameworks, tls, hostile, memory, reload, pack); `--no-pin` leaves the CPUs unpinned;
// `--node=PATH` runs the Node servers (corral's npm entry and the Node peers) on another Node, e.g. .cache/node-26.10.0/node;
// `--baseline=DIR` adds a "(before)" row from another checkout's build (dist/ built there) beside each corral row, in the same runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus as cpuList, loadavg, release } from 'node:os';
import { benchFrameworks, longerWarmups } from './frameworks.mjs';
import { APP_CASES, benchHello } from './hello.mjs';
import { benchHostile } from './hostile.mjs';
import { benchPack } from './pack.mjs';
import { planCpus } from './lib/cpus.mjs';
import { nodeVersion, useNode } from './lib/node-binary.mjs';
import { APT_INSTALL, checkAll, versionsLine } from './lib/peers.mjs';
import { renderChart } from './lib/svg.mjs';
import { goalTable } from './lib/goals.mjs';
import { comparisonTable } from './lib/table.mjs';
import { benchReload } from './reload.mjs';
import { benchStartup, startupTable } from './startup.mjs';
import { benchStatic } from './static.mjs';
import { benchStaticMemory, MEMORY_HEADER } from './static-memory.mjs';
import { useBaseline } from './servers/corral.mjs';
import { benchTls } from './tls.mjs';
import { benchTogether } from './together.mjs';

const argv = process.argv.slice(2);
/** The 1-minute load average before the bench starts: above ~0.5, something else was running. */
const loadBefore = loadavg()[0].toFixed(2);
const node = argv.find((arg) => arg.startsWith('--node='))?.slice('--node='.length);
if (node !== undefined) useNode(node);
const baseline = argv.find((arg) => arg.startsWith('--baseline='))?.slice('--baseline='.length);
if (baseline !== undefined) useBaseline(baseline);
const quick = argv.includes('--quick');
const only = argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
// --quick leaves out the sections that take long whatever the timing (frameworks: builds of the test apps, when cold).
const wanted = (section) =>
  only === undefined ? !(quick && ['memory', 'reload', 'frameworks'].includes(section)) : only.includes(section);
// Many short rounds rather than a few long runs: the machines this runs on change speed from one few seconds to the
// next (2x within a run has been seen), and each ratio is taken round by round between runs seconds apart.
const timing = quick ? { runs: 1, seconds: 2, warmup: 1 } : { runs: 7, seconds: 3, warmup: 2 };
const cpus = planCpus(cpuList().length, { pin: !argv.includes('--no-pin') });
const found = checkAll();
const date = new Date().toISOString().replace('T', ' ').slice(0, 16);
const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;

const sections = [];
const notes = [...found]
  .filter(([, state]) => state.missing !== undefined)
  .map(([name, state]) => `${name}: ${state.missing}`);
const compared = [];
/** The rows of the pairs loaded at once (CPU per request, not req/s): for the goal table only, not the chart. */
const together = [];
/** The frameworks group's rows: issue 14's goals, not issue 13's. */
let frameworkRows = 0;
if (wanted('startup'))
  sections.push(
    `## Start-up and idle footprint (corral, hello world, 2 workers)\n\n${startupTable(await benchStartup({ runs: quick ? 3 : 10 }))}`,
  );
if (!found.get('wrk').version) {
  sections.push(`## Throughput\n\nwrk is not installed: skipped (${APT_INSTALL}).\n`);
} else {
  const methodOf = (t) =>
    `wrk -t1 -c64 --latency; per case a warm-up of ${t.warmup} s per server` +
    (t.pageWarmup === undefined ? '' : ` (${t.pageWarmup} s for a server-rendered page)`) +
    `, then ${t.runs} run(s) of ${t.seconds} s per server, ` +
    `in rounds: each round runs every server of the case once, back to back, every other round in reverse order; ` +
    `req/s and latencies are medians (min-max) over the rounds; corral's ratio to a peer is the median (min-max) of the ratios ` +
    `of their runs in the same round, so that the machine's changes of speed weigh on both sides of each ratio; ${cpus.text}.\n\n`;
  const method = methodOf(timing);
  if (wanted('hello')) {
    const hello = await benchHello({ cpus, ...timing });
    compared.push(...hello.rows);
    notes.push(...hello.notes);
    sections.push(
      `## Apps: corral (\`node dist/corral.cjs\`, default config: access log on) vs bare Node, PM2, @hono/node-server and nginx in front of node:cluster\n\n${method}` +
        `${comparisonTable(hello.rows)}\nRSS is read after the runs: the first process of a tree (corral's master), then the median of the others.\n`,
    );
  }
  /** How the pairs loaded at once are measured (together.mjs), for the sections that print them. */
  const togetherMethod = ({ rounds, seconds }, warmup) =>
    `Each pair's two servers run at the same time on the servers' CPU, each under its own \`wrk -t1 -c32\` (both wrk on the load CPU), in ${rounds} rounds of ${seconds} s after a warm-up of both at once (${typeof warmup === 'number' ? `${warmup} s` : warmup}); ` +
    `a round reads the CPU time of each server's process tree from /proc (master, workers, PM2's daemon) and divides it by the requests that server answered. ` +
    `Both servers see the same machine at the same moment, so a change of the machine's speed weighs on both sides of each round's ratio; ` +
    `"peer ÷ corral" is the peer's CPU per request over corral's (above 1.00x: corral spends less). ${cpus.text}.\n\n`;
  if (wanted('together')) {
    const pairTiming = { rounds: quick ? 2 : 8, seconds: quick ? 2 : 4 };
    const pairs = await benchTogether({ cpus, ...pairTiming, warmup: timing.warmup });
    together.push(...pairs.rows);
    notes.push(...pairs.notes);
    sections.push(
      `## The plain hello, both servers of a pair loaded at once: server CPU time per request\n\n` +
        `${togetherMethod(pairTiming, timing.warmup)}${pairs.table}`,
    );
  }
  if (wanted('static')) {
    const files = await benchStatic({ cpus, ...timing });
    compared.push(...files.rows);
    notes.push(...files.notes);
    sections.push(
      `## Static files: corral's single executable (Node 26) vs nginx vs uWSGI vs sirv\n\n${method}${comparisonTable(files.rows)}`,
    );
  }
  if (wanted('frameworks')) {
    // 6 frameworks x 2 cases x 2 servers: runs of 3 s (5 of them, alternating) keep the group near 13 minutes. A
    // page's warm-up is 20 s: a server-rendered page's rate still climbed for about that long (after a 2 s warm-up,
    // SvelteKit did 540 req/s in the first round and 2,290 in the fifth, React Router 190 and 660), and a shorter
    // one measured the JIT's warm-up more than the server.
    const frameworkTiming = quick ? timing : { runs: 5, seconds: 3, warmup: 2, pageWarmup: 20 };
    // Then each page once more with both servers loaded at once: the req/s rounds of a page spread up to 2x on a
    // machine whose speed moves, where CPU time per page taken at the same moment spreads a few per cent.
    const pageTogether = { rounds: quick ? 2 : 7, seconds: quick ? 2 : 4 };
    const frameworks = await benchFrameworks({ cpus, ...frameworkTiming, together: pageTogether });
    compared.push(...frameworks.rows);
    frameworkRows = frameworks.rows.length;
    notes.push(...frameworks.notes);
    sections.push(
      `## Frameworks: corral (\`node dist/corral.cjs DIR --processes 2\` on the test app's build) vs the framework's own production server, 2 processes each\n\n${methodOf(frameworkTiming)}` +
        `Every server runs with NODE_ENV=production on the same Node. The page is \`/\` of test/apps/<framework>, rendered on each request; the asset is the first hashed file the page links to (${frameworks.assets.join(', ')}). ` +
        `Nuxt's and Astro's own servers are built from the same sources into .cache/bench/ (\`NITRO_PRESET=node-cluster\`; @astrojs/node in standalone mode); ` +
        `TanStack Start has no server of its own: its dist/server/server.js fetch handler runs on @hono/node-server, after that package's serveStatic for dist/client.\n\n` +
        `${comparisonTable(frameworks.rows)}\n` +
        (frameworks.togetherTable === ''
          ? ''
          : `### The pages again, both servers loaded at once: server CPU time per page\n\n${togetherMethod(pageTogether, [`${frameworkTiming.pageWarmup ?? frameworkTiming.warmup} s`, longerWarmups].filter(Boolean).join('; '))}${frameworks.togetherTable}\n`) +
        `### Issue 14's goals: corral at least as fast on every row\n\n${goalTable([...frameworks.rows, ...frameworks.together], frameworks.goals)}`,
    );
  }
}
if (wanted('tls')) {
  const tls = await benchTls({ quick });
  compared.push(...tls.rows);
  notes.push(...tls.notes);
  sections.push(
    `## HTTPS: corral vs nginx, same certificate, 2 workers each\n\n` +
      `wrk -t1 -c64 for HTTP/1.1, h2load -t1 -c16 -m10 for HTTP/2; a warm-up per server, then ${tls.runs} round(s) of ${tls.seconds} s, each running every server once, back to back, every other round in reverse order; ` +
      `req/s are medians, corral's ratios the median (min-max) of the ratios of runs in the same round; unpinned (the TLS client needs a CPU of its own more than the servers need pinning).\n\n${tls.table}`,
  );
}
if (wanted('hostile')) {
  const hostile = await benchHostile({ cpus, quick });
  notes.push(...hostile.notes);
  sections.push(
    `## Hostile clients: a good client before and during each attack, corral vs nginx (issue 15)\n\n${hostile.text}`,
  );
}
if (wanted('memory'))
  sections.push(
    `## Static files: worker memory\n\n${MEMORY_HEADER}${await benchStaticMemory({ entry: 'sea' })}${await benchStaticMemory({ entry: 'npm' })}`,
  );
if (wanted('pack'))
  sections.push(
    `## corral pack: one executable of the app, packed vs unpacked (hello app, 2 workers, 127.0.0.1)\n\n${await benchPack({ quick, runs: quick ? 3 : 10 })}`,
  );
if (wanted('reload')) sections.push(`## Rolling reloads and recycling under load\n\n${await benchReload()}`);

/** The RSS (MiB) of process `index` of a server's tree, as compare() read it after the runs. */
const rssOf = (caseName, server, index) =>
  compared.find((row) => row.case === caseName && row.server === server)?.rss?.[index];
const STATIC = 'corral (single executable), 2 workers';
const goals = [
  {
    goal: 'plain hello, 1 worker vs node:http',
    case: APP_CASES.one,
    server: 'corral, 1 worker',
    peer: 'node:http, 1 process',
    target: 0.97,
  },
  {
    goal: 'plain hello, 2 workers vs node:cluster',
    case: APP_CASES.two,
    server: 'corral, 2 workers',
    peer: 'node:cluster, 2 workers',
    target: 0.97,
  },
  {
    goal: 'plain hello, 2 workers vs PM2',
    case: APP_CASES.two,
    server: 'corral, 2 workers',
    peer: 'PM2 cluster mode (pm2-runtime), 2 instances',
    target: 1.05,
  },
  ...[
    [
      'plain hello, 1 worker vs node:http',
      'plain hello, 1 serving process, both loaded at once',
      'corral, 1 worker',
      'node:http, 1 process',
      0.97,
    ],
    [
      'plain hello, 2 workers vs node:cluster',
      'plain hello, 2 workers vs node:cluster, both loaded at once',
      'corral, 2 workers',
      'node:cluster, 2 workers',
      0.97,
    ],
    [
      'plain hello, 2 workers vs PM2',
      'plain hello, 2 workers vs PM2, both loaded at once',
      'corral, 2 workers',
      'PM2 cluster mode (pm2-runtime), 2 instances',
      1.05,
    ],
  ].map(([goal, name, server, peer, target]) => ({
    goal: `${goal}, server CPU per request (both loaded at once)`,
    case: name,
    server,
    peer,
    target,
  })),
  {
    goal: 'Hono hello, 2 workers vs @hono/node-server',
    case: APP_CASES.hono,
    server: 'corral + Hono, 2 workers',
    peer: '@hono/node-server, node:cluster 2 workers',
    target: 1,
  },
  {
    goal: 'Hono POST JSON echo vs @hono/node-server',
    case: APP_CASES.echo,
    server: 'corral + Hono echo, 2 workers',
    peer: '@hono/node-server echo, node:cluster 2 workers',
    target: 1,
  },
  {
    goal: 'app path vs nginx -> node:cluster',
    case: APP_CASES.stack,
    server: 'corral, 2 workers, static-map /static',
    peer: 'nginx (2 workers) -> node:cluster (2 workers)',
    target: 2,
  },
  ...[
    ['static 1 KiB', 0.9],
    ['static 100 KiB', 0.8],
    ['static 10 MiB', 0.8],
    ['static 304 revalidation', 0.9],
  ].flatMap(([name, target]) => [
    { goal: `${name} vs nginx`, case: name, server: STATIC, peer: 'nginx, 2 workers', target },
    { goal: `${name} vs Caddy`, case: name, server: STATIC, peer: 'Caddy file_server', target: 1 },
  ]),
  {
    goal: 'HTTPS 1 KiB, HTTP/1.1 vs nginx',
    case: 'HTTP/1.1 keep-alive (wrk -t1 -c64)',
    server: 'corral',
    peer: 'nginx',
    target: 0.9,
  },
  {
    goal: 'HTTPS 1 KiB, HTTP/2 vs nginx',
    case: 'HTTP/2 (h2load -t1 -c16 -m10)',
    server: 'corral',
    peer: 'nginx',
    target: 0.8,
  },
  {
    goal: 'master RSS after the hello load (1 worker)',
    value: rssOf(APP_CASES.one, 'corral, 1 worker', 0),
    limit: 45,
    unit: 'MiB',
  },
  {
    goal: 'worker RSS after the hello load, vs bare node:http + 10 MB',
    value: rssOf(APP_CASES.one, 'corral, 1 worker', 1),
    limit: (rssOf(APP_CASES.one, 'node:http, 1 process', 0) ?? NaN) + 10,
    unit: 'MiB',
  },
];
if (compared.length > frameworkRows || together.length > 0)
  sections.push(
    `## Issue 13's goals: every ratio of this run, met or not\n\n${goalTable([...compared, ...together], goals)}` +
      (baseline === undefined
        ? ''
        : `\nThe "(before)" rows run the build in ${baseline}, in the same alternating runs.\n`),
  );

const cpuModel = cpuList()[0]?.model.trim() ?? 'unknown CPU';
const header =
  `${date} UTC; ${cpuList().length} CPUs (${cpuModel}), Linux ${release()}; the Node servers (corral's npm entry and the Node peers) on Node ${nodeVersion()}, corral's single executable on its own Node 26; \`${command}\`.\n\n` +
  `Load average (1 min) before the run ${loadBefore}, after it ${loadavg()[0].toFixed(2)} (the bench itself loads the machine; a high figure before it means other work ran beside it).\n\n` +
  `Versions: ${versionsLine(found)}. Missing peers are skipped; to install all: \`apt-get update && ${APT_INSTALL}\`.\n`;
const noteText =
  notes.length === 0 ? '' : `\n## Notes\n\n${[...new Set(notes)].map((note) => `- ${note}`).join('\n')}\n`;
// A run of some sections only does not replace the full report: it is saved as latest-SECTIONS.
const name = quick ? 'quick' : only === undefined ? 'latest' : `latest-${only.join('-')}`;
const chart = compared.length > 0 ? `\n![req/s per case, corral highlighted](${name}.svg)\n` : '';
const report = `# corral benchmarks\n\n${header}${chart}\n${sections.join('\n')}${noteText}`;
process.stdout.write(`${report}\n`);
const results = new URL('./results/', import.meta.url);
mkdirSync(results, { recursive: true });
writeFileSync(new URL(`${name}.md`, results), report);
if (compared.length > 0)
  writeFileSync(
    new URL(`${name}.svg`, results),
    renderChart(
      compared,
      `corral vs peers, req/s, more is better (${date} UTC, ${cpus.load === undefined ? 'unpinned' : 'wrk and servers on separate CPUs'})`,
    ),
  );
