// Test-only TLS material and servers: a throwaway CA and leaf made with openssl in a temp dir, free ports, and Pebble (Let's Encrypt's ACME test server) started on 127.0.0.1 and stopped by its pid.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { Agent, request } from 'node:https';
import { connect as http2Connect } from 'node:http2';
import { ExitedBeforeReady, isAddressInUse } from './harness.ts';

export interface TestCa {
  dir: string;
  /** The CA certificate, PEM (for clients to trust). */
  caPem: string;
  caFile: string;
  /** A leaf for localhost and 127.0.0.1 signed by the CA, and its key. */
  certFile: string;
  keyFile: string;
}

const openssl = (args: string[], cwd: string) =>
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** Makes a CA and a leaf (ECDSA P-256, a day long) in a new temp dir. `serial` tells two leaves apart. */
export function makeTestCa(name = 'corral-tls-'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), name));
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca-key.pem',
      '-out',
      'ca.pem',
      '-days',
      '1',
      '-subj',
      '/CN=corral test CA',
    ],
    dir,
  );
  makeLeaf(dir, 'leaf');
  return {
    dir,
    caPem: readText(join(dir, 'ca.pem')),
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'leaf.pem'),
    keyFile: join(dir, 'leaf-key.pem'),
  };
}

/** Signs a new leaf for localhost/127.0.0.1 with the CA of `dir`, as NAME.pem and NAME-key.pem. */
export function makeLeaf(dir: string, name: string): { certFile: string; keyFile: string } {
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${name}-key.pem`,
      '-out',
      `${name}.csr`,
      '-subj',
      '/CN=localhost',
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-extfile',
      'ext.cnf',
    ],
    dir,
  );
  return { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}-key.pem`) };
}

function readText(path: string): string {
  return execFileSync('cat', [path], { encoding: 'utf8' });
}

/**
 * Ports for servers that must be told a port before it is bound, which port 0 cannot do: Pebble validates HTTP-01 and
 * TLS-ALPN-01 on corral's http and https ports (set in its config before it starts), corral needs Pebble's directory URL
 * before it starts, and both are restarted on the same ports within a test. Everything else binds port 0 and reads the
 * address back (corral's `ready` line).
 *
 * Asking the kernel for an ephemeral port and closing it ("free a moment ago") raced: vitest runs files in parallel
 * (each e2e file once per entry), and in between another test's server or any client's outgoing connection could take
 * the port from the same ephemeral range (CI: corral exited 2, "address already in use"). So the port is drawn at
 * random from below the ephemeral range (/proc/sys/net/ipv4/ip_local_port_range, 32768-60999 by default: the kernel
 * never hands those out for port 0 or for a connection), probed by a bind on 127.0.0.1, and never given twice in one
 * process. Only another process that picks ports the same way (the other entry's run of the same file) could then
 * take it, and retryOnAddressInUse starts the whole set again on new ports when a start fails for that reason.
 */
export async function reservedPort(): Promise<number> {
  const [low, high] = reservedRange();
  for (let tries = 0; tries < 50; tries++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canBind(port)) return port;
  }
  throw new Error(`no free port in ${low}-${high} on 127.0.0.1 after 50 tries`);
}

const handedOut = new Set<number>();

/** The widest range of ports outside the kernel's ephemeral range (10000 and up below it, else above it). */
function reservedRange(): [number, number] {
  const [ephemeralLow, ephemeralHigh] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
    .trim()
    .split(/\s+/)
    .map(Number) as [number, number];
  const below: [number, number] = [10_000, ephemeralLow - 1];
  const above: [number, number] = [ephemeralHigh + 1, 65_535];
  const size = ([a, b]: [number, number]) => b - a + 1;
  const best = size(below) >= size(above) ? below : above;
  // A machine that hands out (almost) every port as ephemeral: no safe range, the retries are all there is.
  return size(best) >= 1000 ? best : [1024, 65_535];
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Runs `start` (which takes its ports from reservedPort) again, up to `tries` times in all, while it fails only because a
 * port was taken (isAddressInUse: corral's exit 2 or Pebble's exit 1 with "address already in use"). `start` must stop
 * whatever it started before it throws.
 */
export async function retryOnAddressInUse<T>(start: () => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= tries || !isAddressInUse(err)) throw err;
    }
  }
}

/** The certificate a TLS server on 127.0.0.1:port shows for `servername`, and the ALPN protocol it chose. */
export function peerCertificate(
  port: number,
  servername: string,
  ca: string | string[],
  ALPNProtocols?: string[],
  verify = true,
): Promise<{ cert: PeerCertificate; alpn: string | false }> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port, servername, ca, rejectUnauthorized: verify, ...(ALPNProtocols && { ALPNProtocols }) },
      () => {
        const result = { cert: socket.getPeerCertificate(), alpn: socket.alpnProtocol ?? false };
        socket.end();
        resolve(result);
      },
    );
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('TLS connect timed out')));
  });
}

/** GET over HTTPS/1.1 with `agent` (keep-alive when the agent keeps it); resolves with status, body and the serial of the connection's certificate. */
export function httpsGet(
  url: string,
  agent: Agent,
  servername = 'localhost',
): Promise<{ status: number; body: string; serial: string; socketId: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, servername, timeout: 5000 }, (res) => {
      let body = '';
      // Read now: a keep-alive socket goes back to the agent (res.socket becomes null) when the response ends.
      const socket = res.socket as TLSSocket;
      const serial = socket.getPeerCertificate().serialNumber;
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, serial, socketId: socket }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

const PEBBLE = '/usr/bin/pebble';
export const hasPebble = existsSync(PEBBLE);

export interface Pebble {
  pid: number;
  /** The ACME directory URL. */
  directory: string;
  /** The CA of Pebble's own API (give it to corral as NODE_EXTRA_CA_CERTS). */
  apiCaFile: string;
  /** The root that signs the certificates Pebble issues (new at every start). */
  rootPem: string;
  stop(): Promise<void>;
}

export interface PebbleOptions {
  /** Where Pebble validates HTTP-01 and TLS-ALPN-01: corral's http and https ports. */
  httpPort: number;
  tlsPort: number;
  /** Seconds each certificate lasts (Pebble's certificateValidityPeriod). */
  validitySeconds?: number;
}

/**
 * Starts Pebble on reserved 127.0.0.1 ports (its config names them, so not port 0) with its own config and CA, without
 * its random sleeps and nonce errors; waits until its directory and its root answer. Started again on new ports when one
 * was taken (Pebble exits 1, "bind: address already in use").
 */
export function startPebble(options: PebbleOptions): Promise<Pebble> {
  const ca = makeTestCa('corral-pebble-');
  return retryOnAddressInUse(async () => startPebbleOn(ca, options, await reservedPort(), await reservedPort()));
}

async function startPebbleOn(ca: TestCa, options: PebbleOptions, apiPort: number, managementPort: number) {
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${apiPort}`,
      managementListenAddress: `127.0.0.1:${managementPort}`,
      certificate: ca.certFile,
      privateKey: ca.keyFile,
      httpPort: options.httpPort,
      tlsPort: options.tlsPort,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
      ...(options.validitySeconds !== undefined && { certificateValidityPeriod: options.validitySeconds }),
    },
  };
  const configFile = join(ca.dir, 'pebble.json');
  writeFileSync(configFile, JSON.stringify(config));
  const child: ChildProcess = spawn(PEBBLE, ['-config', configFile, '-strict=false'], {
    env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const stderrEnded = new Promise<void>((resolve) => child.stderr?.once('end', resolve) ?? resolve());
  const agent = new Agent({ ca: ca.caPem });
  const stop = async () => {
    agent.destroy();
    if (child.exitCode !== null || child.pid === undefined) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const timer = setTimeout(
      () => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'),
      3000,
    );
    await gone;
    clearTimeout(timer);
  };
  const fetchText = (url: string) =>
    new Promise<string>((resolve, reject) => {
      const req = request(url, { agent, timeout: 2000 }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: ${res.statusCode}`))));
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end();
    });
  // Both listeners: Pebble binds them one after the other and exits when either is taken. Whatever else might answer
  // on a taken port fails here (it cannot show a certificate from this start's CA).
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await fetchText(`https://127.0.0.1:${apiPort}/dir`);
      const rootPem = await fetchText(`https://127.0.0.1:${managementPort}/roots/0`);
      return { pid: child.pid!, directory: `https://127.0.0.1:${apiPort}/dir`, apiCaFile: ca.caFile, rootPem, stop };
    } catch (err) {
      if (child.exitCode !== null) {
        await Promise.race([stderrEnded, new Promise((resolve) => setTimeout(resolve, 1000))]);
        agent.destroy();
        throw new ExitedBeforeReady(
          `pebble exited (${child.exitCode}) before it was ready\n${stderr}`,
          child.exitCode,
          stderr,
        );
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`pebble did not start: ${String(err)}\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export interface H2Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over a new HTTP/2 session (node:http2), closed afterwards. */
export function h2Request(
  origin: string,
  ca: string,
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(origin, { ca });
    session.on('error', reject);
    session.setTimeout(5000, () => session.destroy(new Error('HTTP/2 session timed out')));
    const stream = session.request({ ':path': path, ':method': init.method ?? 'GET', ...init.headers });
    let body = '';
    let headers: Record<string, string | string[] | undefined> = {};
    stream.on('response', (received) => (headers = received as typeof headers));
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => {
      session.close();
      // A stream the server closed without answering (a reset, a session torn down) is a failed request, not a status.
      if (headers[':status'] === undefined) reject(new Error(`HTTP/2 stream for ${path} ended without a response`));
      else resolve({ status: Number(headers[':status']), headers, body });
    });
    stream.on('error', reject);
    stream.end(init.body);
  });
}
