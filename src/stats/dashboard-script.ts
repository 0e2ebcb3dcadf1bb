// The dashboard page's script: polls stats.json each second, keeps 60 samples per worker for the sparklines, and rebuilds the tables with DOM nodes and textContent only (paths and reasons come from clients).
import { sparklinePath } from './sparkline.ts';
import { formatBytes, formatDuration, formatMs } from './units.ts';

/** How many samples each sparkline holds: a minute at one snapshot a second. */
const SPARKLINE_SLOTS = 60;

/**
 * The page's own code, browser JavaScript with no template literals (it sits in one). It calls the helpers that
 * dashboardScript() binds: sparklinePath, formatBytes, formatDuration, formatMs.
 */
const client = `
const SLOTS = ${SPARKLINE_SLOTS}, SPARK_W = 60, SPARK_H = 18, SVG = 'http://www.w3.org/2000/svg';
const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'other'];
const STATUSES = ['starting', 'idle', 'busy', 'stopping', 'respawning'];
const token = new URLSearchParams(location.search).get('token');
const source = 'stats.json' + (token === null ? '' : '?token=' + encodeURIComponent(token));
const series = new Map();
let lastAt = null;

const byId = (id) => document.getElementById(id);

function cell(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) tr.append(typeof c === 'object' && c !== null ? c : cell('td', c));
  return tr;
}

function fill(id, rows) {
  const body = byId(id);
  if (rows.length === 0) {
    const none = cell('td', 'none', 'none');
    none.colSpan = body.parentElement.tHead.rows[0].cells.length;
    body.replaceChildren(row([none]));
  } else body.replaceChildren(...rows);
}

function spark(samples, label) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 -1 ' + SPARK_W + ' ' + (SPARK_H + 2));
  svg.setAttribute('width', String(SPARK_W));
  svg.setAttribute('height', String(SPARK_H + 2));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label + ', last ' + SLOTS + ' s');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', sparklinePath(samples, SPARK_W, SPARK_H, SLOTS));
  svg.append(path);
  return svg;
}

function withSpark(text, samples, label) {
  const td = cell('td', null, 'num');
  td.append(cell('span', text), spark(samples, label));
  return td;
}

const num = (value) => cell('td', value, 'num');
// A process that has not reported yet has no memory figures (0): shown as '-'.
const memory = (bytes) => (bytes > 0 ? formatBytes(bytes) : '-');
const ago = (snapshot, at) => formatDuration(Math.max(0, snapshot.at - at)) + ' ago';
const total = (counts) => CLASSES.reduce((sum, name) => sum + counts[name], 0);
const ending = (exit) => (exit.signal !== null ? exit.signal : 'code ' + exit.code);

function push(list, value) {
  list.push(value);
  if (list.length > SLOTS) list.shift();
}

function record(snapshot) {
  if (snapshot.at === lastAt) return;
  lastAt = snapshot.at;
  const seen = new Set();
  for (const w of snapshot.workers) {
    seen.add(w.id);
    if (!series.has(w.id)) series.set(w.id, { rps: [], p99: [], rss: [] });
    const s = series.get(w.id);
    const alive = w.pid !== null;
    push(s.rps, alive ? w.delta_requests : null);
    push(s.p99, alive ? w.latency.p99 : null);
    push(s.rss, alive && w.rss > 0 ? w.rss : null);
  }
  for (const id of [...series.keys()]) if (!seen.has(id)) series.delete(id);
}

function workerRow(snapshot, w) {
  const s = series.get(w.id);
  const status = cell('td', w.status, STATUSES.includes(w.status) ? 'st-' + w.status : '');
  const last = w.last_exit === null ? '-' : w.last_exit.reason + ' (' + ending(w.last_exit) + '), ' + ago(snapshot, w.last_exit.at);
  const tr = row([
    cell('th', w.id),
    num(w.pid === null ? '-' : w.pid),
    status,
    withSpark(w.delta_requests, s.rps, 'requests per second'),
    num(w.in_flight),
    num(formatMs(w.latency.p50)),
    withSpark(formatMs(w.latency.p99), s.p99, 'p99 latency'),
    withSpark(memory(w.rss), s.rss, 'resident memory'),
    num(memory(w.heap)),
    num(formatMs(w.loop_delay.p99)),
    num(Math.round(w.loop_utilization * 100) + '%'),
    num(w.requests),
    num(w.exceptions),
    num(w.pid === null ? '-' : formatDuration(w.uptime)),
    num(w.respawn_count),
    cell('td', last, 'wrap'),
  ]);
  tr.firstChild.scope = 'row';
  tr.dataset.worker = String(w.id);
  return tr;
}

function render(snapshot) {
  byId('version').textContent = 'corral ' + snapshot.version;
  byId('pid').textContent = String(snapshot.pid);
  byId('uptime').textContent = formatDuration(snapshot.uptime);
  byId('master-rss').textContent = formatBytes(snapshot.master.rss);
  byId('rate').textContent = snapshot.workers.reduce((sum, w) => sum + w.delta_requests, 0) + ' req/s';
  byId('cache').textContent = snapshot.static_cache.hits + ' hits, ' + snapshot.static_cache.misses + ' misses';
  byId('updated').textContent = new Date(snapshot.at * 1000).toLocaleTimeString();
  const kinds = ['app', 'static'].map((kind) => {
    const counts = snapshot.requests[kind];
    return row([cell('th', kind), ...CLASSES.map((name) => num(counts[name])), num(total(counts))]);
  });
  const both = CLASSES.map((name) => snapshot.requests.app[name] + snapshot.requests.static[name]);
  kinds.push(row([cell('th', 'all'), ...both.map(num), num(total(snapshot.requests.app) + total(snapshot.requests.static))]));
  for (const tr of kinds) tr.firstChild.scope = 'row';
  fill('totals', kinds);
  fill('workers', snapshot.workers.map((w) => workerRow(snapshot, w)));
  fill('restarts', snapshot.restarts.map((r) => row([ago(snapshot, r.at), num(r.worker), num(r.pid), r.reason, ending(r)])));
  fill('slow', snapshot.slow.map((r) => {
    const path = cell('td', r.path, 'path');
    path.title = r.path;
    return row([num(formatMs(r.ms)), num(r.status), r.method, path, num(r.worker), r.reqId, ago(snapshot, r.at)]);
  }));
  fill('listeners', snapshot.listeners.map((l) => row([l.name, l.proto, num(l.connections)])));
  fill('certificates', snapshot.certificates.map((c) => {
    const left = num(c.days_left);
    if (c.days_left < 0) left.className += ' bad';
    else if (c.days_left < 14) left.className += ' warn';
    return row([c.domains.join(', '), c.source, c.not_after.slice(0, 10), left]);
  }));
  document.title = 'corral: ' + snapshot.workers.length + ' workers, ' + byId('rate').textContent;
}

function connected(ok, detail) {
  byId('state').textContent = ok ? 'live' : 'disconnected, retrying' + (detail ? ' (' + detail + ')' : '');
  document.body.classList.toggle('stale', !ok);
}

async function poll() {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 3000);
  try {
    const response = await fetch(source, { cache: 'no-store', signal: controller.signal, headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    const snapshot = await response.json();
    record(snapshot);
    render(snapshot);
    connected(true);
  } catch (err) {
    connected(false, controller.signal.aborted ? 'timed out' : err instanceof Error ? err.message : String(err));
  } finally {
    clearTimeout(timer);
    setTimeout(poll, 1000);
  }
}

poll();
`;

/** The script as the page holds it: the shared helpers bound to the names the client code calls, then the client code, in one scope. */
export function dashboardScript(): string {
  const helpers = { sparklinePath, formatBytes, formatDuration, formatMs };
  const bound = Object.entries(helpers).map(([name, fn]) => `const ${name} = (${String(fn)});`);
  return `(() => {\n'use strict';\n${bound.join('\n')}\n${client.trim()}\n})();`;
}
