// Answers a GET or HEAD with one representation: preconditions (304/412), ranges (206/416, multipart), or the whole body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { expiresIn } from './cache-headers.ts';
import { evaluatePreconditions } from './conditional.ts';
import type { SourceHandle } from './file-source.ts';
import { layoutMultipart } from './multipart.ts';
import { planRange, type ByteRange } from './ranges.ts';
import type { Representation } from './representation.ts';
import { SENT, streamPieces, type Piece, type SendOutcome } from './send-file.ts';

/** Bytes held in memory (a cache entry keeps one, made once, for every request it answers). */
export interface MemorySource {
  readonly kind: 'memory';
  readonly body: Buffer;
  /** A small body again as a latin1 string, byte for byte: what a whole 200 answer sends. */
  readonly text: string | undefined;
}

/** Where the bytes are: in memory (the cache), or in an open file that respond() closes. */
export type BodySource = MemorySource | { readonly kind: 'file'; readonly handle: SourceHandle; readonly path: string };

/**
 * Bodies up to this size are kept as a string too. Node sends the header block and a string body with one write(),
 * but a Buffer body with a writev() of two chunks; measured on a 1 KiB and a 2 KiB file, the string costs ~1.5 us less
 * CPU per response (of ~14), while from 4 KiB on copying the string into the header costs as much as it saves.
 */
const TEXT_MAX = 2048;

export function memorySource(body: Buffer): MemorySource {
  return { kind: 'memory', body, text: body.length <= TEXT_MAX ? body.toString('latin1') : undefined };
}

/** Sends `rep`. Synchronous for memory bodies (the hot path), a promise while a file streams. Never rejects. */
export function respond(
  req: IncomingMessage,
  res: ServerResponse,
  rep: Representation,
  source: BodySource,
): SendOutcome | Promise<SendOutcome> {
  const headers = req.headers;
  const expires = rep.policy.expiresSeconds;
  if (
    headers['if-none-match'] !== undefined ||
    headers['if-modified-since'] !== undefined ||
    headers['if-match'] !== undefined ||
    headers['if-unmodified-since'] !== undefined
  ) {
    const decision = evaluatePreconditions(headers, rep);
    if (decision === 'not-modified') return bodiless(res, source, 304, withExpires(rep.headers304, expires));
    if (decision === 'failed') return bodiless(res, source, 412, ['Content-Length', '0', 'ETag', rep.etag]);
  }

  if (req.method === 'GET' && headers.range !== undefined && rep.size > 0) {
    const plan = planRange(headers, rep.size, rep);
    if (plan.kind === 'unsatisfiable') {
      return bodiless(res, source, 416, [
        'Content-Range',
        `bytes */${rep.size}`,
        'Content-Length',
        '0',
        'Accept-Ranges',
        'bytes',
        ...rep.common,
      ]);
    }
    if (plan.kind === 'partial') return sendRanges(res, rep, source, plan.ranges, withExpires(rep.common, expires));
  }

  res.writeHead(200, withExpires(rep.headers200, expires) as string[]);
  if (req.method === 'HEAD' || rep.size === 0) return bodiless(res, source);
  if (source.kind === 'memory') {
    // The string only pays over HTTP/1 (one write with the header block); an HTTP/2 stream would encode it again.
    if (source.text === undefined || req.httpVersionMajor === 2) res.end(source.body);
    else res.end(source.text, 'latin1');
    return SENT;
  }
  return streamPieces(res, source.handle, [{ start: 0, end: rep.size - 1 }]);
}

/** The prepared list as it is, or a copy with the Expires header when the file's policy has one. */
function withExpires(list: readonly string[], seconds: number | undefined): readonly string[] {
  return seconds === undefined ? list : [...list, 'Expires', expiresIn(seconds)];
}

function sendRanges(
  res: ServerResponse,
  rep: Representation,
  source: BodySource,
  ranges: readonly ByteRange[],
  common: readonly string[],
): SendOutcome | Promise<SendOutcome> {
  const partial = ['Accept-Ranges', 'bytes', 'X-Content-Type-Options', 'nosniff', ...common];
  let pieces: Piece[];
  if (ranges.length === 1) {
    const { start, end } = ranges[0]!;
    res.writeHead(206, [
      ...partial,
      'Content-Type',
      rep.contentType,
      'Content-Length',
      String(end - start + 1),
      'Content-Range',
      `bytes ${start}-${end}/${rep.size}`,
    ]);
    pieces = [{ start, end }];
  } else {
    const layout = layoutMultipart(ranges, rep.size, rep.contentType);
    res.writeHead(206, [...partial, 'Content-Type', layout.contentType, 'Content-Length', String(layout.length)]);
    pieces = [...layout.parts.flatMap((part) => [part.head, part.range]), layout.tail];
  }
  if (source.kind === 'file') return streamPieces(res, source.handle, pieces);
  res.end(
    Buffer.concat(
      pieces.map((piece) => (Buffer.isBuffer(piece) ? piece : source.body.subarray(piece.start, piece.end + 1))),
    ),
  );
  return SENT;
}

/** Ends the response without a body (after writing `status` and `headers` when given) and releases a file source. */
function bodiless(
  res: ServerResponse,
  source: BodySource,
  status?: number,
  headers?: readonly string[],
): SendOutcome | Promise<SendOutcome> {
  if (status !== undefined) res.writeHead(status, headers as string[]);
  res.end();
  if (source.kind === 'memory') return SENT;
  return source.handle.close().then(
    () => SENT,
    () => SENT,
  );
}
