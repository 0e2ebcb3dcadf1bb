// The static fast path's answer to a request head from a cached file: its 200 or 304 on the wire, made once per cache entry, or nothing (node:http answers).
import type { IncomingHttpHeaders } from 'node:http';
import type { WireResponse } from '../http/fast-path.ts';
import type { RequestHead } from '../http/request-head.ts';
import { expiresIn } from './cache-headers.ts';
import { evaluatePreconditions } from './conditional.ts';
import type { CacheEntry } from './file-cache.ts';

/** The answers of one cache entry, made on its first fast request: what respond.ts sends, as node:http writes it. */
export interface WireAnswers {
  readonly get: WireResponse;
  readonly head: WireResponse;
  readonly notModified: WireResponse;
}

/** A status line and fields as node:http writes them from writeHead's flat list: `Name: value` lines in list order. */
function wireHead(status: string, fields: readonly string[]): string {
  let text = `HTTP/1.1 ${status}\r\n`;
  for (let i = 0; i < fields.length; i += 2) text += `${fields[i]}: ${fields[i + 1]}\r\n`;
  return text;
}

function answersOf(entry: CacheEntry, expires: number | undefined): WireAnswers {
  const { rep, source } = entry;
  const tail = expires === undefined ? [] : ['Expires', expiresIn(expires)];
  const head200 = wireHead('200 OK', [...rep.headers200, ...tail]);
  const head: WireResponse = { status: 200, head: head200 };
  const get: WireResponse =
    rep.size === 0 ? { status: 200, head: head200 } : { status: 200, head: head200, body: source.body };
  return { get, head, notModified: { status: 304, head: wireHead('304 Not Modified', [...rep.headers304, ...tail]) } };
}

/**
 * What the slow path's respond() sends for this head, minus ranges (request-head.ts leaves those to node:http): a 304
 * when the validators say so, else the whole 200 (no body for HEAD). A failed precondition (412) is left to node:http.
 * A file with an Expires policy has its answers made per request (the date moves); the others reuse the entry's.
 */
export function wireAnswer(entry: CacheEntry, head: RequestHead): WireResponse | undefined {
  const expires = entry.rep.policy.expiresSeconds;
  if (expires === undefined && entry.wire === undefined) entry.wire = answersOf(entry, undefined);
  const answers = expires === undefined ? (entry.wire as WireAnswers) : answersOf(entry, expires);
  const headers = head.headers as IncomingHttpHeaders;
  if (
    headers['if-none-match'] !== undefined ||
    headers['if-modified-since'] !== undefined ||
    headers['if-match'] !== undefined ||
    headers['if-unmodified-since'] !== undefined
  ) {
    const decision = evaluatePreconditions(headers, entry.rep);
    if (decision === 'not-modified') return answers.notModified;
    if (decision === 'failed') return undefined;
  }
  return head.method === 'HEAD' ? answers.head : answers.get;
}
