// The limits on a request's head that node:http has no status for: the request line (414), the number of header fields and the size of each (431); checked once the head is parsed, before static files or the app.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientLimits } from '../config/types.ts';
import { sendError } from './error-response.ts';
import type { RefusalKind, RefusalLog } from './refusal-log.ts';

/** Answers a request over a head limit (and returns true), or returns false and leaves it alone. */
export type HeadCheck = (req: IncomingMessage, res: ServerResponse) => boolean;

/** " HTTP/1.1" and the space before the target: what the request line adds to the method and the target. */
const LINE_EXTRA = 10;

/**
 * undefined when every limit is off. The check reads lengths the parsed request has already (method, url, each raw
 * header's name and value): no allocation, no closure, a loop over the fields. An HTTP/2 request is left to the
 * HTTP/2 limits (its head is a header list, not a line).
 */
export function headCheck(limits: ClientLimits, refusals: RefusalLog): HeadCheck | undefined {
  const line = limits.requestLine;
  const fields = limits.requestFields;
  const fieldSize = limits.requestFieldSize;
  if (line === 0 && fields === 0 && fieldSize === 0) return undefined;
  const refuse = (req: IncomingMessage, res: ServerResponse, kind: RefusalKind, status: number, text: string) => {
    refusals.refused(kind, req.socket.remoteAddress);
    res.shouldKeepAlive = false;
    sendError(res, status, text);
    return true;
  };
  return (req, res) => {
    if (req.httpVersionMajor === 2) return false;
    if (line > 0 && (req.method as string).length + (req.url as string).length + LINE_EXTRA > line)
      return refuse(req, res, 'limit-request-line', 414, `URI Too Long (limit-request-line is ${line} bytes)`);
    const raw = req.rawHeaders;
    // node:http keeps one field more than the limit (client-shield.ts): more than that many means over the limit.
    if (fields > 0 && raw.length > fields * 2)
      return refuse(
        req,
        res,
        'limit-request-fields',
        431,
        `Request Header Fields Too Large (limit-request-fields is ${fields})`,
      );
    if (fieldSize > 0) {
      for (let i = 1; i < raw.length; i += 2) {
        if ((raw[i - 1] as string).length + (raw[i] as string).length > fieldSize)
          return refuse(
            req,
            res,
            'limit-request-field-size',
            431,
            `Request Header Fields Too Large (limit-request-field-size is ${fieldSize} bytes)`,
          );
      }
    }
    return false;
  };
}
