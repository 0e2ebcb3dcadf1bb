// Writes an opened file to the response: headers always, bytes only for GET, streamed with backpressure and cleaned up on abort or read failure.
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { fileHeaders } from './file-headers.ts';
import type { FoundFile } from './lookup.ts';

/** How a send ended: `sent` in full, `aborted` by the client, or `failed` reading the file (response destroyed). */
export type SendOutcome = { kind: 'sent' } | { kind: 'aborted' } | { kind: 'failed'; error: unknown };

/** Sends `file` with a 200 and closes its handle in every case. Never rejects. */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: FoundFile): Promise<SendOutcome> {
  const { size } = file.stats;
  res.writeHead(200, fileHeaders(file.requestedPath, file.stats));

  if (req.method === 'HEAD' || size === 0) {
    await file.handle.close().catch(() => {});
    res.end();
    return { kind: 'sent' };
  }

  // The stream owns the handle from here on (autoClose): it is closed on end, on error and on destroy.
  // `end` caps the read at the announced length should the file grow meanwhile.
  const source = createReadStream(file.realPath, { fd: file.handle, start: 0, end: size - 1, autoClose: true });
  try {
    // pipeline honours backpressure, and tears both sides down when either fails or the client goes away.
    // The response is ended here, not by pipeline, so that a file truncated mid-way (fewer bytes than the
    // Content-Length announced) is never passed off as a complete response.
    await pipeline(source, res, { end: false });
    if (source.bytesRead !== size) throw new Error(`file ended after ${source.bytesRead} of ${size} bytes`);
    res.end();
    return { kind: 'sent' };
  } catch (error) {
    // The headers are out, so a failure can only be signalled by cutting the connection.
    if (!res.destroyed) res.destroy();
    if (!source.destroyed) source.destroy();
    return isClientAbort(error) ? { kind: 'aborted' } : { kind: 'failed', error };
  }
}

// What pipeline reports when the response closes before the file is through: the client went away.
const ABORT_CODES = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE']);

function isClientAbort(error: unknown): boolean {
  return ABORT_CODES.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}
