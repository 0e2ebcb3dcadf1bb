// End to end: automatic certificates against Debian's pebble (Let's Encrypt's ACME test server) on 127.0.0.1: HTTP-01, TLS-ALPN-01, renewal under an open connection, an unreachable server, a first-start failure.
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { copyProgram, startCorral, stopAll, type LogLine, type Running } from './harness.ts';
import {
  h2Request,
  hasPebble,
  httpsGet,
  peerCertificate,
  reservedPort,
  retryOnAddressInUse,
  startPebble,
  type Pebble,
} from './tls-fixtures.ts';

const app = fileURLToPath(new URL('../fixtures/e2e/h2/listener.mjs', import.meta.url));
const issued = (line: LogLine) => line.msg === 'ACME certificate issued and served';
const pebbles: Pebble[] = [];

afterEach(async () => {
  stopAll();
  for (const pebble of pebbles.splice(0)) await pebble.stop();
});
afterAll(stopAll);

interface Setup {
  pebble: Pebble;
  corral: Running;
  httpPort: number;
  tlsPort: number;
  stateDir: string;
}

/**
 * Pebble, then corral on the ports Pebble validates challenges on. Those two ports are chosen before either starts
 * (reservedPort), so when corral cannot bind one of them the whole pair starts again on new ports (retryOnAddressInUse).
 */
function setUp(
  options: Omit<CorralOptions, 'httpPort' | 'tlsPort' | 'stateDir'> & {
    validitySeconds?: number;
    stateDir?: string;
  },
): Promise<Setup> {
  const stateDir = options.stateDir ?? join(mkdtempSync(join(tmpdir(), 'corral-acme-')), 'state');
  return retryOnAddressInUse(async () => {
    const [httpPort, tlsPort] = [await reservedPort(), await reservedPort()];
    const pebble = await startPebble({
      httpPort,
      tlsPort,
      ...(options.validitySeconds !== undefined && { validitySeconds: options.validitySeconds }),
    });
    pebbles.push(pebble);
    try {
      const corral = await startAcmeCorral(pebble, { ...options, httpPort, tlsPort, stateDir });
      return { pebble, corral, httpPort, tlsPort, stateDir };
    } catch (err) {
      pebbles.splice(pebbles.indexOf(pebble), 1);
      await pebble.stop();
      throw err;
    }
  });
}

interface CorralOptions {
  plainHttp: boolean;
  httpPort: number;
  tlsPort: number;
  stateDir: string;
  processes?: number;
  /** Extra arguments, and a copy of the program (for uid). */
  extra?: string[];
  program?: string;
  module?: string;
}

function startAcmeCorral(pebble: Pebble, o: CorralOptions): Promise<Running> {
  return startCorral(
    [
      ...(o.plainHttp ? ['--http', `127.0.0.1:${o.httpPort}`] : []),
      '--https',
      `127.0.0.1:${o.tlsPort}`,
      '--acme-domains',
      'localhost',
      '--acme-email',
      'ops@example.com',
      '--acme-directory',
      pebble.directory,
      '--acme-state-dir',
      o.stateDir,
      '--processes',
      String(o.processes ?? 1),
      '--module',
      o.module ?? app,
      ...(o.extra ?? []),
    ],
    // acme-client trusts Pebble's API through Node's extra CA certificates, in the master as in any Node program.
    { env: { NODE_EXTRA_CA_CERTS: pebble.apiCaFile }, ...(o.program !== undefined && { program: o.program }) },
  );
}

describe.skipIf(!hasPebble)('ACME against pebble (apt-get install -y pebble)', () => {
  it('HTTP-01: obtains the certificate at first start, serves it over h2, keeps it private, and a later worker and a restart serve the same', async () => {
    const { pebble, corral, tlsPort, stateDir, httpPort } = await setUp({ plainHttp: true });
    const line = await corral.waitFor(issued, 15_000);
    expect(corral.logs.find((l) => l.msg === 'ordering an ACME certificate')?.challenges).toEqual([
      'http-01',
      'tls-alpn-01',
    ]);
    const served = await peerCertificate(tlsPort, 'localhost', pebble.rootPem);
    expect(served.cert.serialNumber).toBe(line.serial);
    const res = await h2Request(`https://localhost:${tlsPort}`, pebble.rootPem, '/hello?q=acme');
    expect(JSON.parse(res.body)).toEqual({ shape: 'listener', q: 'acme', http: '2.0' });
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    for (const file of ['account-key.pem', 'account.json', 'certificate.pem', 'certificate-key.pem'])
      expect(statSync(join(stateDir, file)).mode & 0o777).toBe(0o600);

    // A worker forked after the issuance serves the current certificate.
    const first = corral.logs.find((l) => l.msg === 'worker ready')!.workerPid as number;
    process.kill(first, 'SIGKILL');
    const replacement = await corral.waitFor((l) => l.msg === 'worker ready' && l.workerPid !== first, 10_000);
    expect(replacement.workerPid).not.toBe(first);
    expect((await peerCertificate(tlsPort, 'localhost', pebble.rootPem)).cert.serialNumber).toBe(line.serial);

    // A restart serves the stored certificate without a new order.
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
    const again = await startAcmeCorral(pebble, { plainHttp: true, httpPort, tlsPort, stateDir });
    const loaded = await again.waitFor((l) => l.msg === 'ACME certificate loaded', 10_000);
    expect(loaded.serial).toBe(line.serial);
    expect((await peerCertificate(tlsPort, 'localhost', pebble.rootPem)).cert.serialNumber).toBe(line.serial);
    expect(again.logs.some((l) => l.msg === 'ordering an ACME certificate')).toBe(false);
  }, 40_000);

  it('single mode (master = false): the one process orders, serves and stores the certificate', async () => {
    const { pebble, corral, tlsPort, stateDir } = await setUp({ plainHttp: true, extra: ['--no-master'] });
    const line = await corral.waitFor(issued, 15_000);
    expect(line.role).toBe('single');
    expect((await peerCertificate(tlsPort, 'localhost', pebble.rootPem)).cert.serialNumber).toBe(line.serial);
    expect(statSync(join(stateDir, 'certificate.pem')).mode & 0o777).toBe(0o600);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  }, 30_000);

  it('TLS-ALPN-01: with no plain-HTTP listener the https listener answers the challenge', async () => {
    const { pebble, corral, tlsPort } = await setUp({ plainHttp: false, processes: 2 });
    const line = await corral.waitFor(issued, 15_000);
    expect(corral.logs.find((l) => l.msg === 'ordering an ACME certificate')?.challenges).toEqual(['tls-alpn-01']);
    for (let n = 0; n < 4; n++)
      expect((await peerCertificate(tlsPort, 'localhost', pebble.rootPem)).cert.serialNumber).toBe(line.serial);
  }, 30_000);

  it('renews a short-lived certificate with a third of its lifetime left, while a client keeps its connection open', async () => {
    const { pebble, corral, tlsPort } = await setUp({ plainHttp: true, validitySeconds: 12, processes: 2 });
    const first = await corral.waitFor(issued, 15_000);
    // One keep-alive connection, kept busy (so no idle timeout closes it) across the renewal.
    const agent = new Agent({ ca: pebble.rootPem, keepAlive: true, maxSockets: 1 });
    const opened = await httpsGet(`https://localhost:${tlsPort}/hello`, agent);
    expect(opened.serial).toBe(first.serial);
    let renewed: LogLine | undefined;
    void corral.waitFor((l) => issued(l) && l.serial !== first.serial, 20_000).then((l) => (renewed = l));
    const deadline = Date.now() + 20_000;
    while (renewed === undefined && Date.now() < deadline) {
      const res = await httpsGet(`https://localhost:${tlsPort}/hello`, agent);
      expect(res.status).toBe(200);
      expect(res.socketId).toBe(opened.socketId);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(renewed).toBeDefined();
    // The open connection still works on the old certificate; new connections get the new one.
    const still = await httpsGet(`https://localhost:${tlsPort}/hello`, agent);
    expect(still.socketId).toBe(opened.socketId);
    expect(still.serial).toBe(first.serial);
    agent.destroy();
    for (let n = 0; n < 4; n++)
      expect((await peerCertificate(tlsPort, 'localhost', pebble.rootPem)).cert.serialNumber).toBe(renewed!.serial);
  }, 40_000);

  it('keeps serving the old certificate when the ACME server is unreachable, and logs why', async () => {
    const { pebble, corral, tlsPort } = await setUp({ plainHttp: true, validitySeconds: 9 });
    const first = await corral.waitFor(issued, 15_000);
    await pebble.stop();
    const failed = await corral.waitFor((l) => l.msg?.startsWith('ACME order failed') === true, 15_000);
    expect(String(failed.reason)).toMatch(/ECONNREFUSED/);
    expect(failed.msg).toContain(`still serving serial ${String(first.serial)}`);
    // Not verified: a 9-second certificate may have expired by now, and it is still the one served.
    expect((await peerCertificate(tlsPort, 'localhost', pebble.rootPem, undefined, false)).cert.serialNumber).toBe(
      first.serial,
    );
  }, 40_000);

  it.skipIf(process.getuid?.() !== 0)(
    'hands the certificate to workers that run as another user and cannot read the state directory (as root)',
    async () => {
      const shared = mkdtempSync(join(tmpdir(), 'corral-acme-uid-'));
      chmodSync(shared, 0o755);
      const module = join(shared, 'app.mjs');
      writeFileSync(module, 'export default (req, res) => res.end(String(process.getuid()));\n', { mode: 0o644 });
      const program = copyProgram(shared);
      const { pebble, corral, tlsPort } = await setUp({
        plainHttp: true,
        processes: 2,
        module,
        program,
        extra: ['--uid', 'nobody'],
      });
      const line = await corral.waitFor(issued, 15_000);
      for (let n = 0; n < 4; n++)
        expect((await peerCertificate(tlsPort, 'localhost', pebble.rootPem)).cert.serialNumber).toBe(line.serial);
      const res = await h2Request(`https://localhost:${tlsPort}`, pebble.rootPem, '/');
      expect(res.body).toBe('65534');
      // A replacement worker (as nobody) serves it from its first connection.
      const pids = corral.logs.filter((l) => l.msg === 'worker ready').map((l) => l.workerPid as number);
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      await corral.waitFor((l) => l.msg === 'worker ready' && !pids.includes(l.workerPid as number), 10_000);
      await corral.waitFor(
        (l) =>
          l.msg === 'worker ready' &&
          !pids.includes(l.workerPid as number) &&
          corral.logs.filter((x) => x.msg === 'worker ready' && !pids.includes(x.workerPid as number)).length >= 2,
        10_000,
      );
      for (let n = 0; n < 4; n++)
        expect((await peerCertificate(tlsPort, 'localhost', pebble.rootPem)).cert.serialNumber).toBe(line.serial);
      expect(readFileSync(`/proc/${corral.pid}/status`, 'utf8')).toMatch(/^Uid:\s+0\s/m);
    },
    40_000,
  );

  it('stops with exit 2 and a clear message when the first certificate cannot be had', async () => {
    // No Pebble: corral's own listeners bind port 0; the directory is a reserved port nothing listens on (a port from the
    // ephemeral range could become some other test's server or a client's socket; the order would still fail, less plainly).
    const nothing = await reservedPort();
    const stateDir = join(mkdtempSync(join(tmpdir(), 'corral-acme-')), 'state');
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--https',
      '127.0.0.1:0',
      '--acme-domains',
      'localhost',
      '--acme-directory',
      `https://127.0.0.1:${nothing}/dir`,
      '--acme-state-dir',
      stateDir,
      '--module',
      app,
    ]);
    expect(await corral.exited(20_000)).toBe(2);
    expect(corral.stderr()).toContain('no certificate for localhost');
    expect(corral.logs.filter((l) => l.msg?.startsWith('ACME order failed') === true)).toHaveLength(3);
  }, 30_000);
});
