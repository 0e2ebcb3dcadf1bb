// The static step of the request pipeline: static-map, check-static and static-fallback answer GET/HEAD, or let the request fall through.
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { StaticMount } from '../config/types.ts';
import { sendError } from '../http/error-response.ts';
import { cachePolicies, type ExpiresRuleSource } from './cache-headers.ts';
import { staticCacheCounts } from './cache-counts.ts';
import { choose, type ChooseContext } from './choose.ts';
import { acceptedCodings, NONE, type Accepted } from './encoding.ts';
import { fallbackFor, sortFallbacks, type FallbackRule } from './fallback.ts';
import { FileCache } from './file-cache.ts';
import { MissMemo } from './miss-memo.ts';
import { diskFiles, type FileSource } from './file-source.ts';
import { isFresh } from './freshness.ts';
import { currentTurn } from './loop-turn.ts';
import { DEFAULT_INDEXES, lookupFile, nothingThere, type FoundFile, type LookupRules } from './lookup.ts';
import { buildMountTable, matchMount, type MountEntry, type MountTable } from './mount-table.ts';
import { directoryLocation, redirectToDirectory } from './redirect.ts';
import { resolveStaticPath, stripQuery } from './resolve-path.ts';
import { respond } from './respond.ts';
import type { SendOutcome } from './send-file.ts';
import type { CacheEntry } from './file-cache.ts';
import { wireAnswer } from './wire-answer.ts';
import type { WireResponse } from '../http/fast-path.ts';
import type { RequestHead } from '../http/request-head.ts';

/** Answers a request (true) or lets it fall through (false); a promise only when it must wait (for the disk). */
export interface StaticHandler {
  (req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean>;
  /**
   * The static fast path's question (fast-path.ts): the answer on the wire to a GET or HEAD head whose file is in the
   * memory cache and still what is on disk, or undefined when the request must go the whole way.
   */
  wire?(head: RequestHead): WireResponse | undefined;
  /**
   * True when the whole way would let a GET or HEAD of `head` fall through to the app without waiting: no file in
   * the cache, none on disk, no fallback (the same synchronous look the whole way takes first).
   */
  passes?(head: RequestHead): boolean;
}

export interface StaticHandlerOptions {
  /** Told about server-side failures (unexpected fs errors, a file failing mid-read); never about hostile input. */
  onError?: (error: unknown, req: IncomingMessage) => void;
  /** `static-index`: names tried for a directory (default index.html). */
  indexes?: readonly string[];
  /** `static-expires` rules. */
  expires?: readonly ExpiresRuleSource[];
  /** `check-static`: absolute directories every path is looked up under after the mounts. */
  checkStatic?: readonly string[];
  /** `static-safe`: absolute directories symlinks may lead into. */
  safe?: readonly string[];
  /** `static-gzip-all` (default true). */
  gzipAll?: boolean;
  /** `static-compress` (default true). */
  compress?: boolean;
  /** `static-cache-size` in bytes (default 64 MiB; 0 = no cache). */
  cacheSize?: number;
  /** `static-fallback` rules with absolute files. */
  fallback?: readonly FallbackRule[];
  /** Where the files are read from (default: the disk; a packed app's from inside the executable). */
  files?: FileSource;
}

const DEFAULT_CACHE_SIZE = 64 * 1024 * 1024;

/**
 * Builds the handler. It resolves true when it answered the request (a file, a 304/206/412/416, a 301 adding a
 * directory's slash, 400 for a hostile path, 500 for an fs fault) and false when the app should handle it (no
 * mount, a method other than GET/HEAD, no such file, hidden name, symlink escape). It never rejects.
 */
export function createStaticHandler(mounts: readonly StaticMount[], options: StaticHandlerOptions = {}): StaticHandler {
  const files = options.files ?? diskFiles;
  const realpath = (dir: string) => files.realpath(dir);
  const table = buildMountTable(mounts, realpath);
  const checkTables = (options.checkStatic ?? []).map((dir) => buildMountTable([{ prefix: '/', dir }], realpath));
  const fallbacks = sortFallbacks(options.fallback ?? []);
  const cache = new FileCache(options.cacheSize ?? DEFAULT_CACHE_SIZE);
  const ctx: ChooseContext = {
    cache,
    gzipAll: options.gzipAll ?? true,
    compress: options.compress ?? true,
    policyFor: cachePolicies(options.expires ?? []),
    files,
  };
  const negotiates = ctx.gzipAll || ctx.compress;
  const indexes = options.indexes ?? DEFAULT_INDEXES;
  // static-safe directories are resolved once, on first use (they may be symlinks themselves).
  let rules: Promise<LookupRules> | undefined;
  const lookupRules = () =>
    (rules ??= Promise.all((options.safe ?? []).map((dir) => realpath(dir).catch(() => path.resolve(dir)))).then(
      (safeRoots) => ({ indexes, safeRoots, files }),
    ));

  const reportError = (error: unknown, req: IncomingMessage): void => {
    try {
      options.onError?.(error, req);
    } catch {
      // A faulty reporter must not turn a served request into a failure.
    }
  };
  const settled = (req: IncomingMessage, outcome: SendOutcome): true => {
    if (outcome.kind === 'failed') reportError(outcome.error, req);
    return true;
  };
  // Memory bodies are sent synchronously: no promise to wait for on the hot path.
  const finish = (req: IncomingMessage, pending: SendOutcome | Promise<SendOutcome>): true | Promise<true> =>
    pending instanceof Promise ? pending.then((outcome) => settled(req, outcome)) : settled(req, pending);
  const serve = async (
    req: IncomingMessage,
    res: ServerResponse,
    found: FoundFile,
    accepted: Accepted,
    key: string,
  ): Promise<true> => {
    const chosen = await choose(found, accepted, ctx, key);
    return finish(req, respond(req, res, chosen.rep, chosen.source));
  };

  /**
   * True when no mount, check-static directory or fallback can answer `rawPath`: it falls through to the app at once,
   * with no promise. The usual case for an app's routes under check-static at "/" (a framework's build). Whatever is
   * not certain (a file there, a hostile path, a fallback) goes through lookUp.
   */
  const tables: readonly MountTable[] = [table, ...checkTables];
  const misses = new MissMemo();
  const surelyNothing = (rawPath: string, accept: string | undefined): boolean => {
    if (!misses.recent(rawPath)) {
      // Only a miss under check-static alone is kept (see miss-memo.ts): a static-map mount sees a file the moment
      // it appears, as nginx does, and a path outside every directory costs nothing to ask again.
      let checked = false;
      let mounted = false;
      for (const candidateTable of tables) {
        const match = matchMount(candidateTable, rawPath);
        if (match === undefined) continue;
        const resolved = resolveStaticPath(match.entry.dir, match.remainder);
        if (!resolved.ok || !nothingThere(resolved.file, indexes, files)) return false;
        if (candidateTable === table) mounted = true;
        else checked = true;
      }
      if (checked && !mounted) misses.add(rawPath);
    }
    return fallbackFor(fallbacks, rawPath, accept) === undefined;
  };

  /** Everything past the cache: mounts, then check-static, then the SPA fallback. */
  async function lookUp(
    req: IncomingMessage,
    res: ServerResponse,
    target: string,
    rawPath: string,
    accepted: Accepted,
    key: string,
  ): Promise<boolean> {
    for (const candidateTable of tables) {
      const match = matchMount(candidateTable, rawPath);
      if (match === undefined) continue;
      const resolved = resolveStaticPath(match.entry.dir, match.remainder);
      if (!resolved.ok) {
        if (resolved.reason === 'dotfile') return false;
        sendError(res, 400, 'Bad Request');
        return true;
      }
      const file = await findFile(match.entry, resolved.file, await lookupRules());
      if (file === undefined) continue;
      if (file.fromDirectory && !resolved.trailingSlash) {
        await file.handle.close().catch(() => {});
        redirectToDirectory(res, directoryLocation(rawPath, target.slice(rawPath.length)));
        return true;
      }
      return serve(req, res, file, accepted, key);
    }
    const fallback = fallbackFor(fallbacks, rawPath, req.headers.accept);
    if (fallback === undefined) return false;
    const found = await lookupFile(path.dirname(fallback), fallback, { indexes: [], safeRoots: [], files });
    if (found.kind !== 'found') return false;
    return serve(req, res, found.file, accepted, `\0fallback\n${fallback}\n${accepted.key}`);
  }

  /** A thrown fault answers 500 (or cuts a response already under way); the request counts as answered. */
  const failed = (error: unknown, req: IncomingMessage, res: ServerResponse): true => {
    reportError(error, req);
    // sendError cuts the connection when headers already went out; an ended response is left alone.
    if (!res.writableEnded && !res.destroyed) sendError(res, 500, 'Internal Server Error');
    return true;
  };

  /** The cached representation under `key`, if it is still what is on disk: one stat per entry per event-loop turn (requests read from the same batch of sockets share it). */
  const fresh = (key: string): CacheEntry | undefined => {
    const hit = cache.get(key);
    if (hit === undefined) return undefined;
    const turn = currentTurn();
    if (hit.checkedInTurn === turn || isFresh(hit.checks, files)) {
      hit.checkedInTurn = turn;
      staticCacheCounts.hits++;
      return hit;
    }
    cache.delete(key);
    return undefined;
  };
  const keyOf = (rawPath: string, accepted: Accepted) =>
    accepted.key === '' ? rawPath : `${rawPath}\n${accepted.key}`;

  // Not an async function: a cache hit is answered synchronously, with no promise for the pipeline to wait on.
  const handler: StaticHandler = (req, res) => {
    try {
      // Other methods belong to the app and never touch the file system.
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const target = req.url ?? '';
      const rawPath = stripQuery(target);
      const accepted = negotiates ? acceptedCodings(req.headers['accept-encoding']) : NONE;
      // The hot path: a cached representation for this exact path and coding list, still what is on disk.
      const key = keyOf(rawPath, accepted);
      const hit = fresh(key);
      if (hit !== undefined) return finish(req, respond(req, res, hit.rep, hit.source));
      if (surelyNothing(rawPath, req.headers.accept)) return false;
      staticCacheCounts.misses++;
      return lookUp(req, res, target, rawPath, accepted, key).catch((error: unknown) => failed(error, req, res));
    } catch (error) {
      return failed(error, req, res);
    }
  };
  // Only a hit is answered here; anything else goes the whole way above, through node:http.
  handler.wire = (head) => {
    if (!cache.enabled || (head.method !== 'GET' && head.method !== 'HEAD')) return undefined;
    const accepted = negotiates ? acceptedCodings(head.headers['accept-encoding']) : NONE;
    const hit = fresh(keyOf(stripQuery(head.target), accepted));
    return hit === undefined ? undefined : wireAnswer(hit, head);
  };
  handler.passes = (head) => {
    if (head.method !== 'GET' && head.method !== 'HEAD') return true;
    const rawPath = stripQuery(head.target);
    const accepted = negotiates ? acceptedCodings(head.headers['accept-encoding']) : NONE;
    return fresh(keyOf(rawPath, accepted)) === undefined && surelyNothing(rawPath, head.headers.accept);
  };
  return handler;
}

/**
 * Looks `candidate` up under the mount's real root. A real path outside that root may mean the root is a
 * symlink flipped since it was cached (a `current -> releases/N` deploy): the root is resolved again, and
 * when it changed, the lookup is tried once more. A lookup that merely finds nothing never costs that.
 */
async function findFile(entry: MountEntry, candidate: string, rules: LookupRules): Promise<FoundFile | undefined> {
  let root: string;
  try {
    root = await entry.realRoot();
  } catch {
    return undefined; // the mount directory does not exist (yet): nothing to serve
  }
  let found = await lookupFile(root, candidate, rules);
  if (found.kind === 'outside') {
    const fresh = await entry.reloadRealRoot().catch(() => root);
    if (fresh !== root) found = await lookupFile(fresh, candidate, rules);
  }
  return found.kind === 'found' ? found.file : undefined;
}
