// The static-map step of the request pipeline: answers GET/HEAD for files under a mount, or lets the request fall through.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { realpath } from 'node:fs/promises';
import type { StaticMount } from '../config/types.ts';
import { sendError } from '../http/error-response.ts';
import { lookupFile, type FoundFile } from './lookup.ts';
import { buildMountTable, matchMount, type MountEntry } from './mount-table.ts';
import { directoryLocation, redirectToDirectory } from './redirect.ts';
import { resolveStaticPath, stripQuery } from './resolve-path.ts';
import { sendFile } from './send-file.ts';

export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface StaticHandlerOptions {
  /** Told about server-side failures (unexpected fs errors, a file failing mid-read); never about hostile input. */
  onError?: (error: unknown, req: IncomingMessage) => void;
}

/**
 * Builds the handler for a set of mounts. It resolves true when it answered the request (file sent, 301
 * to add a directory's trailing slash, 400 for a hostile path, 500 for an fs fault) and false when the app
 * should handle it (no mount, method other than GET/HEAD, no such file, hidden name, symlink escape).
 * It never rejects.
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
      const target = req.url ?? '';
      const rawPath = stripQuery(target);
      const match = matchMount(table, rawPath);
      if (match === undefined) return false;

      const resolved = resolveStaticPath(match.entry.dir, match.remainder);
      if (!resolved.ok) {
        if (resolved.reason === 'dotfile') return false;
        sendError(res, 400, 'Bad Request');
        return true;
      }

      const file = await findFile(match.entry, resolved.file);
      if (file === undefined) return false;
      if (file.fromDirectory && !resolved.trailingSlash) {
        await file.handle.close().catch(() => {});
        redirectToDirectory(res, directoryLocation(rawPath, target.slice(rawPath.length)));
        return true;
      }

      const outcome = await sendFile(req, res, file);
      if (outcome.kind === 'failed') reportError(outcome.error, req);
      return true;
    } catch (error) {
      reportError(error, req);
      // sendError cuts the connection when headers already went out; an ended response is left alone.
      if (!res.writableEnded && !res.destroyed) sendError(res, 500, 'Internal Server Error');
      return true;
    }
  };
}

/**
 * Looks `candidate` up under the mount's real root. A real path outside that root may mean the root is a
 * symlink flipped since it was cached (a `current -> releases/N` deploy): the root is resolved again, and
 * when it changed, the lookup is tried once more. A lookup that merely finds nothing never costs that.
 */
async function findFile(entry: MountEntry, candidate: string): Promise<FoundFile | undefined> {
  let root: string;
  try {
    root = await entry.realRoot();
  } catch {
    return undefined; // the mount directory does not exist (yet): nothing to serve
  }
  let found = await lookupFile(root, candidate);
  if (found.kind === 'outside') {
    const fresh = await entry.reloadRealRoot().catch(() => root);
    if (fresh !== root) found = await lookupFile(fresh, candidate);
  }
  return found.kind === 'found' ? found.file : undefined;
}
