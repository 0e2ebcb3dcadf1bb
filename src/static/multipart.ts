// Lays out a multipart/byteranges body: a boundary, each part's header block, and the exact total length.
import type { ByteRange } from './ranges.ts';

export interface MultipartLayout {
  readonly contentType: string;
  readonly length: number;
  /** Each range with the header block written before its bytes. */
  readonly parts: readonly { readonly head: Buffer; readonly range: ByteRange }[];
  /** The closing delimiter. */
  readonly tail: Buffer;
}

/** Builds the layout for `ranges` of a representation of `size` bytes whose own type is `type`. */
export function layoutMultipart(ranges: readonly ByteRange[], size: number, type: string): MultipartLayout {
  // Web Crypto, loaded on first use (a multi-range request), not with the static files for every worker.
  const boundary = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(12))).toString('hex');
  let length = 0;
  const parts = ranges.map((range, index) => {
    const lead = index === 0 ? '' : '\r\n';
    const head = Buffer.from(
      `${lead}--${boundary}\r\nContent-Type: ${type}\r\nContent-Range: bytes ${range.start}-${range.end}/${size}\r\n\r\n`,
    );
    length += head.length + range.end - range.start + 1;
    return { head, range };
  });
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  length += tail.length;
  return { contentType: `multipart/byteranges; boundary=${boundary}`, length, parts, tail };
}
