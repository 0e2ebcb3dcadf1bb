// Picks what to send for a found file: a precompressed sibling, an on-the-fly compressed copy, or the file itself, and caches it.
import { constants } from 'node:fs';
import type { CachePolicy } from './cache-headers.ts';
import { compress, isCompressible, SIBLING_SUFFIX, type Accepted, type Coding } from './encoding.ts';
import { contentTypeFor } from './file-headers.ts';
import type { FileSource, SourceHandle } from './file-source.ts';
import { type CacheEntry, type FileCache, ENTRY_OVERHEAD } from './file-cache.ts';
import { signatureNow, signatureOf, type FreshnessCheck } from './freshness.ts';
import type { FoundFile } from './lookup.ts';
import { describeRepresentation, type Representation } from './representation.ts';
import { memorySource, type BodySource, type MemorySource } from './respond.ts';

export interface ChooseContext {
  readonly cache: FileCache;
  readonly gzipAll: boolean;
  readonly compress: boolean;
  readonly policyFor: (realPath: string) => CachePolicy;
  /** Where the files are read from. */
  readonly files: FileSource;
}

export interface Chosen {
  readonly rep: Representation;
  readonly source: BodySource;
}

/** Files smaller than this are not worth compressing on the fly: headers dominate. */
const COMPRESS_MIN = 1024;
/** The largest file compressed on the fly (once per version, kept in the cache); bigger ones are sent as they are. */
const COMPRESS_MAX = 1024 * 1024;

const SIBLING_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

// One compression per cache key at a time: concurrent first requests wait for the same result.
const compressing = new Map<string, Promise<CacheEntry | undefined>>();

/** Decides the representation of `found` for a client accepting `accepted`. Takes over (and closes) found.handle. */
export async function choose(found: FoundFile, accepted: Accepted, ctx: ChooseContext, key: string): Promise<Chosen> {
  const contentType = contentTypeFor(found.requestedPath);
  const compressible = isCompressible(contentType);
  const policy = ctx.policyFor(found.realPath);
  const checks: FreshnessCheck[] = [
    { path: found.checkPath, follow: true, signature: signatureOf(found.stats) },
    ...found.missingIndexes.map((path) => ({ path, follow: true, signature: undefined })),
  ];
  const vary = compressible && (ctx.gzipAll || ctx.compress);
  try {
    if (ctx.gzipAll) {
      for (const coding of accepted.codings) {
        const sibling = await openSibling(found.realPath + SIBLING_SUFFIX[coding], checks, ctx.files);
        if (sibling === undefined) continue;
        await found.handle.close().catch(() => {});
        const rep = describeRepresentation({
          size: sibling.size,
          mtimeMs: sibling.mtimeMs,
          contentType,
          coding,
          policy,
          vary: true,
        });
        return admit(ctx, key, checks, rep, sibling.handle, sibling.path);
      }
    }
    const coding = accepted.codings[0];
    const { size } = found.stats;
    if (
      coding !== undefined &&
      ctx.compress &&
      compressible &&
      ctx.cache.enabled &&
      size >= COMPRESS_MIN &&
      size <= COMPRESS_MAX
    ) {
      const entry = await compressedEntry(found, coding, contentType, policy, checks, ctx, key);
      if (entry !== undefined) return { rep: entry.rep, source: entry.source };
      // Not smaller once compressed: the file itself is sent (its handle was read and closed).
      const reopened = await ctx.files.open(found.realPath, SIBLING_FLAGS);
      return admit(ctx, key, checks, identity(found, contentType, policy, vary), reopened, found.realPath);
    }
    return admit(ctx, key, checks, identity(found, contentType, policy, vary), found.handle, found.realPath);
  } catch (error) {
    await found.handle.close().catch(() => {});
    throw error;
  }
}

function identity(found: FoundFile, contentType: string, policy: CachePolicy, vary: boolean): Representation {
  return describeRepresentation({
    size: found.stats.size,
    mtimeMs: found.stats.mtimeMs,
    contentType,
    coding: undefined,
    policy,
    vary,
  });
}

/** Streams large or cold files; reads a small one asked for a second time into the cache and serves it from memory. */
async function admit(
  ctx: ChooseContext,
  key: string,
  checks: FreshnessCheck[],
  rep: Representation,
  handle: SourceHandle,
  path: string,
): Promise<Chosen> {
  if (handle.bytes !== undefined) return borrowed(ctx, key, checks, rep, handle.bytes);
  if (!ctx.cache.enabled || rep.size > ctx.cache.maxBody || !ctx.cache.seenBefore(key) || !ctx.cache.startLoading(key))
    return { rep, source: { kind: 'file', handle, path } };
  let body: Buffer;
  try {
    body = await readWhole(handle, rep.size);
  } finally {
    ctx.cache.doneLoading(key);
  }
  const source = memorySource(body);
  ctx.cache.set(key, { checks, rep, source, cost: costOf(source), used: false, checkedInTurn: -1 });
  return { rep, source };
}

/**
 * A file whose bytes are already in memory that no one writes to (a packed file, in the executable's pages shared by
 * every process): sent as that view, never copied, and cached at once since the entry costs only its headers.
 */
function borrowed(
  ctx: ChooseContext,
  key: string,
  checks: FreshnessCheck[],
  rep: Representation,
  bytes: Buffer,
): Chosen {
  const source = memorySource(bytes);
  if (ctx.cache.enabled)
    ctx.cache.set(key, {
      checks,
      rep,
      source,
      cost: (source.text?.length ?? 0) + ENTRY_OVERHEAD,
      used: false,
      checkedInTurn: -1,
    });
  return { rep, source };
}

/** What an entry is charged against static-cache-size: its bytes (twice when also kept as a string) and overhead. */
function costOf(source: MemorySource): number {
  return source.body.length + (source.text?.length ?? 0) + ENTRY_OVERHEAD;
}

/** Opens a precompressed sibling if it is a regular file (never a symlink); records what was found for later freshness checks. */
async function openSibling(
  path: string,
  checks: FreshnessCheck[],
  files: FileSource,
): Promise<{ handle: SourceHandle; path: string; size: number; mtimeMs: number } | undefined> {
  const before = signatureNow(path, false, files);
  if (before === undefined) {
    checks.push({ path, follow: false, signature: undefined });
    return undefined;
  }
  let handle: SourceHandle;
  try {
    handle = await files.open(path, SIBLING_FLAGS);
  } catch {
    checks.push({ path, follow: false, signature: undefined });
    return undefined;
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close().catch(() => {});
    return undefined;
  }
  checks.push({ path, follow: false, signature: signatureOf(stats) });
  return { handle, path, size: stats.size, mtimeMs: stats.mtimeMs };
}

async function compressedEntry(
  found: FoundFile,
  coding: Coding,
  contentType: string,
  policy: CachePolicy,
  checks: FreshnessCheck[],
  ctx: ChooseContext,
  key: string,
): Promise<CacheEntry | undefined> {
  const running = compressing.get(key);
  if (running !== undefined) {
    await found.handle.close().catch(() => {});
    return running;
  }
  const work = (async () => {
    const plain = await readWhole(found.handle, found.stats.size);
    const body = await compress(plain, coding);
    if (body.length >= plain.length) return undefined;
    const rep = describeRepresentation({
      size: body.length,
      mtimeMs: found.stats.mtimeMs,
      contentType,
      coding,
      policy,
      vary: true,
    });
    const source = memorySource(body);
    const entry: CacheEntry = { checks, rep, source, cost: costOf(source), used: false, checkedInTurn: -1 };
    ctx.cache.set(key, entry);
    return entry;
  })();
  compressing.set(key, work);
  try {
    return await work;
  } finally {
    compressing.delete(key);
  }
}

/** Reads exactly `size` bytes and closes the handle; a file that shrank meanwhile is an error, never a short body. */
async function readWhole(handle: SourceHandle, size: number): Promise<Buffer> {
  // Bytes already in memory are read where they are (compression only reads them).
  if (handle.bytes !== undefined) return handle.bytes;
  try {
    // Outside Node's shared pool, so a cached small body does not pin an 8 KiB slab.
    const body = Buffer.allocUnsafeSlow(size);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(body, offset, size - offset, offset);
      if (bytesRead === 0) throw new Error(`file ended after ${offset} of ${size} bytes`);
      offset += bytesRead;
    }
    return body;
  } finally {
    await handle.close().catch(() => {});
  }
}
