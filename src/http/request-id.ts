// Request ids: short, unique within the server's life, and tied to the process that served the request.

/** 0 to zz in base 36 as they are, and as two digits: the last two digits of every id come from these tables. */
const LOW = Array.from({ length: 36 * 36 }, (_, n) => n.toString(36));
const LOW_TWO_DIGITS = LOW.map((digits) => digits.padStart(2, '0'));

/**
 * Returns a generator of ids like `w2-1a` (worker 2, request 0x1a in base 36) or `s-1a` (single mode); `prefix` names
 * the process. The base-36 text is built from tables, its high digits once per 1296 ids: Number's toString(36) went
 * through the runtime for every request.
 */
export function requestIdSource(prefix: string): () => string {
  const head = `${prefix}-`;
  let high = 0;
  let highHead = head;
  let low = 0;
  return () => {
    if (++low === LOW.length) {
      low = 0;
      high++;
      highHead = `${head}${high.toString(36)}`;
    }
    return high === 0 ? head + LOW[low] : highHead + LOW_TWO_DIGITS[low];
  };
}
