// Content codings: which ones a client accepts (from Accept-Encoding), which types are worth compressing, and compressing a buffer.
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type Coding = 'br' | 'zstd' | 'gzip';

/** The codings a client accepts, best first, and a short key naming that list (for cache keys). */
export interface Accepted {
  readonly codings: readonly Coding[];
  readonly key: string;
}

/** zstd exists from Node 22.15 / 23.8; the machine's Node 20 has none, the single executable's Node 26 has it. */
export const ZSTD_SUPPORTED = typeof (zlib as { zstdCompress?: unknown }).zstdCompress === 'function';

/** Our preference when the client's q-values tie: smallest output first. */
const PREFERENCE: readonly Coding[] = ZSTD_SUPPORTED ? ['br', 'zstd', 'gzip'] : ['br', 'gzip'];

/** The file name suffix of a precompressed sibling. */
export const SIBLING_SUFFIX: Readonly<Record<Coding, string>> = { br: '.br', zstd: '.zst', gzip: '.gz' };

export const NONE: Accepted = { codings: [], key: '' };

// Browsers send a handful of distinct headers: remember their parse, up to a bound.
const memo = new Map<string, Accepted>();
const MEMO_LIMIT = 256;

/** Parses Accept-Encoding (q-values, `*`, `identity` ignored) into the codings corral can send, best first. */
export function acceptedCodings(header: string | undefined): Accepted {
  if (header === undefined || header === '') return NONE;
  const known = memo.get(header);
  if (known !== undefined) return known;
  const accepted = parseAcceptEncoding(header);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(header, accepted);
  return accepted;
}

function parseAcceptEncoding(header: string): Accepted {
  const q = new Map<string, number>();
  for (const item of header.toLowerCase().split(',')) {
    const [name = '', ...params] = item.split(';').map((part) => part.trim());
    if (name === '') continue;
    const qParam = params.find((param) => param.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(value) ? value : 0);
  }
  const star = q.get('*');
  const weight = (coding: Coding) => q.get(coding) ?? star ?? 0;
  const codings = PREFERENCE.filter((coding) => weight(coding) > 0).sort((a, b) => weight(b) - weight(a));
  return codings.length === 0 ? NONE : { codings, key: codings.join(',') };
}

/** Text-like types that shrink when compressed; images, video, archives and fonts in woff/woff2 already are compressed. */
export function isCompressible(contentType: string): boolean {
  return /^(text\/|application\/(json|javascript|xml|wasm|manifest\+json|ld\+json|rss\+xml|atom\+xml|xhtml\+xml)|image\/(svg\+xml|x-icon|vnd\.microsoft\.icon)|font\/(ttf|otf))/.test(
    contentType,
  );
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Compresses once per file version (the result is cached): a middle level, since the work is not repeated per request. */
export function compress(body: Buffer, coding: Coding): Promise<Buffer> {
  if (coding === 'br') {
    return brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 6,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
  }
  if (coding === 'zstd') {
    const zstd = promisify(
      (zlib as unknown as { zstdCompress: (b: Buffer, cb: (e: Error | null, r: Buffer) => void) => void }).zstdCompress,
    );
    return zstd(body);
  }
  return gzip(body, { level: 6 });
}
