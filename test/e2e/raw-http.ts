// Sends bytes as they are over a TCP connection and reads the HTTP/1 responses that come back: what the replay tests (gunicorn's corpus, smuggling) need, since no HTTP client sends a malformed request.
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface RawResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface Exchange {
  responses: RawResponse[];
  /** The server closed the connection (before, or after, the client's own end). */
  closed: boolean;
  /** The client ended its side: the server had answered nothing new for `quietMs`. */
  halfClosed: boolean;
  /** Neither enough responses nor a close within the time allowed: the server hung. */
  timedOut: boolean;
  /** Bytes that came after the last whole response (a response cut short). */
  rest: Buffer;
}

export interface ExchangeOptions {
  /** Resolve as soon as this many responses came (the connection is then closed by the client); default: wait for the close. */
  responses?: number;
  /** How long the server may stay silent before the client ends its side, as a client at the end of its data does (default 500 ms). */
  quietMs?: number;
  /** The whole exchange's bound (default 5 s). */
  timeoutMs?: number;
  /** Over TLS (ALPN http/1.1), trusting this CA certificate (PEM). */
  tlsCa?: string;
}

/** Writes `data` to 127.0.0.1:`port` in one piece and collects the responses until `options` say it is over. */
export function exchange(port: number, data: Buffer, options: ExchangeOptions = {}): Promise<Exchange> {
  const quietMs = options.quietMs ?? 500;
  return new Promise((resolve) => {
    const socket =
      options.tlsCa === undefined
        ? connect(port, '127.0.0.1')
        : tlsConnect({
            port,
            host: '127.0.0.1',
            servername: 'localhost',
            ca: options.tlsCa,
            ALPNProtocols: ['http/1.1'],
          });
    let received = Buffer.alloc(0);
    let halfClosed = false;
    let settled = false;
    const finish = (closed: boolean, timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(quiet);
      clearTimeout(bound);
      socket.destroy();
      const { responses, rest } = parseResponses(received, closed);
      resolve({ responses, closed, halfClosed, timedOut, rest });
    };
    const endOurSide = () => {
      halfClosed = true;
      socket.end();
    };
    let quiet = setTimeout(endOurSide, quietMs);
    const bound = setTimeout(() => finish(false, true), options.timeoutMs ?? 5000);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (options.responses !== undefined && parseResponses(received, false).responses.length >= options.responses)
        return finish(false, false);
      if (!halfClosed) {
        clearTimeout(quiet);
        quiet = setTimeout(endOurSide, quietMs);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => finish(true, false));
    socket.write(data);
  });
}

/**
 * The whole responses in `bytes`: a body is read by its Content-Length, by chunks, or (neither, once the connection
 * closed) up to the close. What is left (a response not complete yet, or cut short) is `rest`.
 */
export function parseResponses(bytes: Buffer, closed: boolean): { responses: RawResponse[]; rest: Buffer } {
  const responses: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const end = bytes.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const head = bytes.subarray(at, end).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
    if (status === null) break;
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let bodyStart = end + 4;
    let body: Buffer;
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (bytes.length < bodyStart + length) break;
      body = bytes.subarray(bodyStart, bodyStart + length);
      at = bodyStart + length;
    } else if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
      const parts: Buffer[] = [];
      let complete = false;
      for (;;) {
        const lineEnd = bytes.indexOf('\r\n', bodyStart);
        if (lineEnd < 0) break;
        const size = Number.parseInt(bytes.subarray(bodyStart, lineEnd).toString('latin1'), 16);
        if (size === 0) {
          const trailerEnd = bytes.indexOf('\r\n\r\n', lineEnd);
          if (trailerEnd < 0) break;
          bodyStart = trailerEnd + 4;
          complete = true;
          break;
        }
        if (bytes.length < lineEnd + 2 + size + 2) break;
        parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
        bodyStart = lineEnd + 2 + size + 2;
      }
      if (!complete) break;
      body = Buffer.concat(parts);
      at = bodyStart;
    } else if (closed || headers.connection?.toLowerCase() === 'close') {
      // No length: the body runs to the close (node:http's own 400 has none at all).
      if (!closed) {
        responses.push({ status: Number(status[1]), headers, body: Buffer.alloc(0) });
        at = bodyStart;
        continue;
      }
      body = bytes.subarray(bodyStart);
      at = bytes.length;
    } else {
      break;
    }
    responses.push({ status: Number(status[1]), headers, body });
  }
  return { responses, rest: bytes.subarray(at) };
}
