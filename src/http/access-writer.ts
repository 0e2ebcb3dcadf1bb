// The access-line writer a worker runs as each response closes, chosen once at start: the format (json, combined) and the filter (log-slow, log-4xx, log-5xx), or none.
import { performance } from 'node:perf_hooks';
import type { AccessLogConfig } from '../config/types.ts';
import type { LineSink } from '../log/logger.ts';
import { chooseAccessLines } from './access-filter.ts';
import { accessLog, type ClosedExchange, type RequestRecord } from './access-log.ts';
import { combinedLog } from './combined-log.ts';

export type AccessWriter = (res: ClosedExchange, record: RequestRecord) => void;

/**
 * The writer of access lines for these settings, or undefined when no request gets one. Without a filter the writer
 * is the format's own function, with nothing in front; with one, a single wrapper made here runs the check (a clock
 * read and a comparison or two) before it: nothing is made per request.
 */
export function accessWriter(
  sink: LineSink,
  disableLogging: boolean,
  options: AccessLogConfig | undefined,
): AccessWriter | undefined {
  const choice = chooseAccessLines(disableLogging, options);
  if (choice.kind === 'none') return undefined;
  const write = options?.format === 'combined' ? combinedLog(sink) : accessLog(sink);
  if (choice.kind === 'all') return write;
  const { filter } = choice;
  return (res, record) => {
    if (filter(res.statusCode, performance.now() - record.started)) write(res, record);
  };
}
