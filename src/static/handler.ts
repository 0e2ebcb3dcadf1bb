// The static-map step of the request pipeline: answers GET/HEAD for files under a mount, or lets the request fall through.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { realpath } from 'node:fs/promises';
import type { StaticMount } from '../config/types.ts';
import { lookupFile } from './lookup.ts';
import { buildMountTable, matchMount } from './mount-table.ts';
import { resolveStaticPath, stripQuery } from './resolve-path.ts';
import { sendFile } from './send-file.ts';

export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface StaticHandlerOptions {
  /** Told about server-side failures (unexpected fs errors, a file failing mid-read); never about hostile input. */
  onError?: (error: unknown, req: IncomingMessage) => void;
}

const BAD_REQUEST_BODY = 'Bad Request\n';
const SERVER_ERROR_BODY = 'Internal Server Error\n';

/**
 * Builds the handler for a set of mounts. It resolves true when it answered the request (file sent,
 * 400 for a hostile path, 500 for an fs fault) and false when the app should handle it (no mount, method
 * other than GET/HEAD, no such file, hidden name, symlink escape). It never rejects.
 */
export function createStaticHandler(mounts: readonly StaticMount[], options: StaticHandlerOptions = {}): StaticHandler {
  const table = buildMountTable(mounts, (dir) => realpath(dir));
  const reportError = (error: unknown, req: IncomingMessage): void => {
    try {
      options.onError?.(error, req);
    } catch {
      // A faulty reporter must not turn a served request into a failure.
    }
  };

  return async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const match = matchMount(table, stripQuery(req.url ?? ''));
      if (match === undefined) return false;

      const resolved = resolveStaticPath(match.entry.dir, match.remainder);
      if (!resolved.ok) {
        if (resolved.reason === 'dotfile') return false;
        answerText(req, res, 400, BAD_REQUEST_BODY);
        return true;
      }

      let realRoot: string;
      try {
        realRoot = await match.entry.realRoot();
      } catch {
        return false; // the mount directory does not exist (yet): nothing to serve
      }
      const file = await lookupFile(realRoot, resolved.file);
      if (file === undefined) return false;

      const outcome = await sendFile(req, res, file);
      if (outcome.kind === 'failed') reportError(outcome.error, req);
      return true;
    } catch (error) {
      reportError(error, req);
      if (!res.headersSent && !res.destroyed) answerText(req, res, 500, SERVER_ERROR_BODY);
      else if (!res.writableEnded) res.destroy();
      return true;
    }
  };
}

/** A short text/plain answer (body omitted for HEAD). */
function answerText(req: IncomingMessage, res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
