// Request ids: short, unique within the server's life, and tied to the process that served the request.
/** Returns a generator of ids like `w2-1a` (worker 2, request 0x1a in base 36) or `s-1a` (single mode); `prefix` names the process. */
export function requestIdSource(prefix: string): () => string {
  let counter = 0;
  return () => `${prefix}-${(++counter).toString(36)}`;
}
