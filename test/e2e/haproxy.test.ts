// End to end behind Debian's HAProxy: two corral instances with health-path and shutdown-delay, 32 keep-alive clients, a deploy of each instance in turn with zero failed requests; then the same with PROXY protocol v2 and v1, the app seeing the clients' address.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startCorral, stopAll, type Running } from './harness.ts';
import { reservedPort } from './tls-fixtures.ts';

const HAPROXY = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((path) => existsSync(path));
/** The clients' own source address: not HAProxy's (127.0.0.1), so the app can tell which one it was told. */
const CLIENT_ADDRESS = '127.0.0.2';
const CLIENTS = 32;

const dir = mkdtempSync(join(tmpdir(), 'corral-haproxy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let haproxy: ChildProcess | undefined;
afterEach(() => {
  if (haproxy?.pid !== undefined && haproxy.exitCode === null) process.kill(haproxy.pid, 'SIGKILL');
  haproxy = undefined;
  stopAll();
});

/** An app that answers its version and the client address it sees. */
function writeApp(version: string): string {
  const file = join(dir, `app-${version}.mjs`);
  writeFileSync(
    file,
    `export default (req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ version: ${JSON.stringify(version)}, remote: req.socket.remoteAddress }));
};\n`,
  );
  return file;
}

function startInstance(app: string, port: number, proxyProtocol: boolean): Promise<Running> {
  return startCorral([
    '--module',
    app,
    '--http',
    `127.0.0.1:${port}`,
    '--processes',
    '2',
    '--health-path',
    '/healthz',
    '--shutdown-delay',
    '1',
    '--graceful-timeout',
    '10',
    ...(proxyProtocol ? ['--proxy-protocol'] : []),
  ]);
}

interface Balancer {
  port: number;
  /** The backend's servers as HAProxy sees them: `a` and `b` to UP, DOWN, ... */
  states(): Promise<Record<string, string>>;
}

/** Starts HAProxy in the foreground (-db) in front of `servers` (name, port, extra server options); stopped by pid. */
async function startHaproxy(servers: { name: string; port: number; options: string }[]): Promise<Balancer> {
  const port = await reservedPort();
  const statsPort = await reservedPort();
  const config = join(dir, `haproxy-${port}.cfg`);
  writeFileSync(
    config,
    `global
  maxconn 512
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout check 1s
  retries 3
  option redispatch
frontend web
  bind 127.0.0.1:${port}
  default_backend corral
backend corral
  balance roundrobin
  option httpchk GET /healthz
${servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check inter 200ms fall 1 rise 1 ${s.options}`).join('\n')}
listen stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
`,
  );
  let output = '';
  haproxy = spawn(HAPROXY!, ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  haproxy.stdout?.on('data', (d: Buffer) => (output += d));
  haproxy.stderr?.on('data', (d: Buffer) => (output += d));
  const states = async () => {
    const csv = await get(statsPort, '/stats;csv', new Agent());
    const result: Record<string, string> = {};
    for (const line of csv.body.split('\n')) {
      const fields = line.split(',');
      if (fields[0] === 'corral' && fields[1] !== 'BACKEND') result[fields[1]!] = fields[17]!;
    }
    return result;
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const now = await states();
      if (servers.every((s) => now[s.name] === 'UP')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || haproxy.exitCode !== null) throw new Error(`HAProxy did not come up:\n${output}`);
    await sleep(50);
  }
  return { port, states };
}

async function waitForState(balancer: Balancer, name: string, state: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await balancer.states())[name] !== state) {
    if (Date.now() > deadline) throw new Error(`HAProxy did not see ${name} ${state} within ${ms} ms`);
    await sleep(50);
  }
}

function get(port: number, path: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  at: number;
  version: string;
  remote: string;
}

/** 32 keep-alive clients from CLIENT_ADDRESS asking in a loop until stop(); every failure is kept. */
function runClients(port: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS, localAddress: CLIENT_ADDRESS });
  const answers: Answer[] = [];
  const failures: string[] = [];
  let running = true;
  const loop = async () => {
    while (running) {
      try {
        const { status, body } = await get(port, '/', agent);
        if (status !== 200) failures.push(`${status} ${body}`);
        else answers.push({ at: Date.now(), ...(JSON.parse(body) as { version: string; remote: string }) });
      } catch (err) {
        failures.push(String(err));
      }
    }
  };
  const loops = Array.from({ length: CLIENTS }, loop);
  return {
    answers,
    failures,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

/**
 * Replaces each instance in turn: SIGTERM, its exit, the new version on the same port, HAProxy seeing it up. Checks
 * that HAProxy saw the old one DOWN (its health path failing) while it still served; returns the old instances.
 */
async function deploy(balancer: Balancer, instances: Running[], ports: number[], app: string, proxy: boolean) {
  const old: Running[] = [];
  for (const [index, name] of ['a', 'b'].entries()) {
    const leaving = instances[index]!;
    old.push(leaving);
    process.kill(leaving.pid, 'SIGTERM');
    await waitForState(balancer, name, 'DOWN', 5_000);
    expect(leaving.child.exitCode).toBe(null); // still within its shutdown-delay
    expect(await leaving.exited(20_000)).toBe(0);
    instances[index] = await startInstance(app, ports[index]!, proxy);
    await waitForState(balancer, name, 'UP');
  }
  return old;
}

describe.skipIf(HAPROXY === undefined)('behind HAProxy', () => {
  it('deploys two instances in turn under 32 keep-alive clients with no failed request', async () => {
    const ports = [await reservedPort(), await reservedPort()];
    const v1 = writeApp('v1');
    const instances = [await startInstance(v1, ports[0]!, false), await startInstance(v1, ports[1]!, false)];
    const balancer = await startHaproxy(ports.map((port, i) => ({ name: 'ab'[i]!, port, options: '' })));
    const clients = runClients(balancer.port);
    await sleep(500);
    const old = await deploy(balancer, instances, ports, writeApp('v2'), false);
    const deployed = Date.now();
    await sleep(500);
    await clients.stop();

    expect(clients.failures).toEqual([]);
    expect(clients.answers.length).toBeGreaterThan(200);
    expect(clients.answers.some((a) => a.version === 'v1')).toBe(true);
    const after = clients.answers.filter((a) => a.at > deployed);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((a) => a.version !== 'v2')).toEqual([]);
    // The old instances failed their health path for shutdown-delay, then stopped; the checks never reached the app.
    for (const instance of old) {
      const messages = instance.logs.map((l) => l.msg);
      expect(messages).toContain('shutdown-delay: health-path answers 503 now; still serving until the delay ends');
      expect(messages).toContain('shutdown-delay over: stopping');
      expect(instance.logs.filter((l) => l.msg === 'request' && l.path === '/healthz')).toEqual([]);
    }
  }, 50_000);

  it('with send-proxy-v2 and send-proxy: the app and the access log see the client, through a deploy', async () => {
    const ports = [await reservedPort(), await reservedPort()];
    const v1 = writeApp('v1');
    const instances = [await startInstance(v1, ports[0]!, true), await startInstance(v1, ports[1]!, true)];
    const balancer = await startHaproxy([
      { name: 'a', port: ports[0]!, options: 'send-proxy-v2 check-send-proxy' },
      { name: 'b', port: ports[1]!, options: 'send-proxy check-send-proxy' },
    ]);
    const clients = runClients(balancer.port);
    await sleep(500);
    await deploy(balancer, instances, ports, writeApp('v2'), true);
    await sleep(500);
    await clients.stop();

    expect(clients.failures).toEqual([]);
    expect(clients.answers.length).toBeGreaterThan(200);
    expect(new Set(clients.answers.map((a) => a.remote))).toEqual(new Set([CLIENT_ADDRESS]));
    for (const instance of instances) {
      const remotes = new Set(instance.logs.filter((l) => l.msg === 'request').map((l) => l.remote));
      expect(remotes).toEqual(new Set([CLIENT_ADDRESS]));
    }
  }, 50_000);
});
