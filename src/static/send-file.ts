// Copies byte ranges of an open file to the response with backpressure, refusing to pass a shrunken file off as complete.
import type { FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

/** How a send ended: `sent` in full, `aborted` by the client, or `failed` reading the file (response destroyed). */
export type SendOutcome = { kind: 'sent' } | { kind: 'aborted' } | { kind: 'failed'; error: unknown };

export const SENT: SendOutcome = { kind: 'sent' };
const ABORTED: SendOutcome = { kind: 'aborted' };

/** Bigger reads than a stream's 64 KiB default: fewer trips through the thread pool for large files. */
const READ_CHUNK = 256 * 1024;

/** A piece of the body: bytes from the file, or a literal (a multipart header block). */
export type Piece = { readonly start: number; readonly end: number } | Buffer;

class ClientGone extends Error {}

/**
 * Writes the pieces in order, then ends the response; the handle is closed in every case. Headers must be out.
 * Never rejects: a failure cuts the connection, which is all that can be done once a length was announced.
 */
export async function streamPieces(
  res: ServerResponse,
  handle: FileHandle,
  pieces: readonly Piece[],
): Promise<SendOutcome> {
  try {
    for (const piece of pieces) {
      if (Buffer.isBuffer(piece)) await write(res, piece);
      else await copyRange(res, handle, piece.start, piece.end);
    }
    res.end();
    return SENT;
  } catch (error) {
    if (!res.destroyed) res.destroy();
    return error instanceof ClientGone ? ABORTED : { kind: 'failed', error };
  } finally {
    await handle.close().catch(() => {});
  }
}

/** Reads [start, end] chunk by chunk; each read waits until the client took the previous chunk. */
async function copyRange(res: ServerResponse, handle: FileHandle, start: number, end: number): Promise<void> {
  let position = start;
  while (position <= end) {
    const length = Math.min(READ_CHUNK, end - position + 1);
    const chunk = Buffer.allocUnsafe(length);
    const { bytesRead } = await handle.read(chunk, 0, length, position);
    // The file shrank since fstat: the announced length can no longer be honoured.
    if (bytesRead === 0) throw new Error(`file ended after ${position - start} of ${end - start + 1} bytes`);
    position += bytesRead;
    await write(res, bytesRead === length ? chunk : chunk.subarray(0, bytesRead));
  }
}

async function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  if (res.destroyed) throw new ClientGone();
  if (res.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      res.off('drain', onDrain);
      reject(new ClientGone());
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
