// The access line in the combined log format of nginx and Apache (`log-format = combined`), built from the same record as the JSON line and as cheaply.
import { performance } from 'node:perf_hooks';
import { wallMsAt, type LineSink } from '../log/logger.ts';
import { responseBytesOf, type ClosedExchange, type RequestRecord } from './access-log.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** nginx's $time_local: `23/Nov/2026:21:03:08 +0100`, in the process's time zone. */
export function localTimeText(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${two(Math.floor(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`;
  return (
    `${two(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()}:` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())} ${zone}`
  );
}

/** Printable ASCII but the quote and the backslash: what a field holds as it came. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const ESCAPED = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

function hexByte(byte: number): string {
  return `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * A value as it goes between the line's quotes: a quote, a backslash, a control character (a newline above all) or
 * any byte past ASCII becomes `\xHH`, as nginx writes them, so that no client can end a field or the line early and
 * forge another. Header values and URLs reach Node one byte per character (latin1); a wider character is written as
 * the bytes of its UTF-8 form.
 */
export function escapeField(value: string): string {
  if (PLAIN.test(value)) return value;
  return value.replace(ESCAPED, (char) => {
    const code = char.charCodeAt(0);
    return code < 0x100 ? hexByte(code) : [...Buffer.from(char)].map(hexByte).join('');
  });
}

/** A header's value as a quoted field: `-` when absent or empty, as nginx writes it. */
function quoted(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value.join(', ') : value;
  return text === undefined || text === '' ? '"-"' : `"${escapeField(text)}"`;
}

/**
 * Returns the writer of combined lines: `ADDRESS - - [TIME] "METHOD URL HTTP/V" STATUS BYTES "REFERER" "USER-AGENT"`.
 * The address is the client's, as in the JSON line's `remote`; BYTES are those the response put on its socket,
 * headers included (nginx's $bytes_sent, not $body_bytes_sent: the body alone is not counted), `-` over HTTP/2. As in
 * the JSON line, each piece is made again only when it differs from the line before: the time once per second (the
 * wall clock is checked once per millisecond), the request and status, the address, the two headers.
 */
export function combinedLog(sink: LineSink): (res: ClosedExchange, record: RequestRecord) => void {
  const wallMs = wallMsAt();
  let second = NaN;
  let time = '';
  let remote: string | undefined;
  let head = '';
  let method: string | undefined;
  let url: string | undefined;
  let version = '';
  let status = 0;
  let exchange = '';
  // null: no line yet (an absent header is undefined).
  let referer: string | string[] | undefined | null = null;
  let agent: string | string[] | undefined | null = null;
  let tail = '';
  return (res, record) => {
    const req = res.req;
    const at = Math.floor(wallMs(performance.now()) / 1000);
    if (at !== second || record.remote !== remote) {
      if (at !== second) time = localTimeText(new Date(at * 1000));
      second = at;
      remote = record.remote;
      head = `${escapeField(remote)} - - [${time}] "`;
    }
    if (req.method !== method || req.url !== url || req.httpVersion !== version || res.statusCode !== status) {
      method = req.method;
      url = req.url;
      version = req.httpVersion;
      status = res.statusCode;
      exchange = `${escapeField(method ?? '-')} ${escapeField(url ?? '-')} HTTP/${escapeField(version)}" ${status} `;
    }
    const headers = req.headers;
    if (headers.referer !== referer || headers['user-agent'] !== agent) {
      referer = headers.referer;
      agent = headers['user-agent'];
      tail = ` ${quoted(referer)} ${quoted(agent)}\n`;
    }
    const bytes = req.httpVersionMajor === 2 ? '-' : responseBytesOf(res, record);
    sink.writeLine(`${head}${exchange}${bytes}${tail}`);
  };
}
