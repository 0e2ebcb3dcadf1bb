import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { memoryLogger } from '../../test/memory-logger.ts';
import { refusalLog } from './refusal-log.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

test('the first refusal of a kind is logged at once, the rest of its window in one line with their count', async () => {
  const { log, lines } = memoryLogger();
  const refusals = refusalLog(log, 1000);
  for (let i = 0; i < 500; i++) refusals.refused('max-connections-per-ip', `10.0.0.${i % 3}`);
  refusals.refused('send-timeout', '10.0.0.9');
  await vi.advanceTimersByTimeAsync(0);
  expect(lines.map((line) => [line.limit, line.refused])).toEqual([
    ['max-connections-per-ip', 1],
    ['send-timeout', 1],
  ]);
  expect(lines[0]).toMatchObject({ level: 40, peer: '10.0.0.0' });
  await vi.advanceTimersByTimeAsync(1000);
  // 499 more in the window: one line; nothing for send-timeout, which had no more.
  expect(lines.slice(2)).toEqual([
    expect.objectContaining({ limit: 'max-connections-per-ip', refused: 499, lastPeer: '10.0.0.1' }),
  ]);
  // A steady flood: one line per window, every refusal counted.
  for (let i = 0; i < 30; i++) refusals.refused('max-connections-per-ip', '10.0.0.1');
  await vi.advanceTimersByTimeAsync(1000);
  expect(lines.at(-1)).toMatchObject({ limit: 'max-connections-per-ip', refused: 30 });
  // A quiet window closes it: the next refusal is logged at once again.
  await vi.advanceTimersByTimeAsync(1000);
  const before = lines.length;
  refusals.refused('max-connections-per-ip', '10.0.0.7');
  await vi.advanceTimersByTimeAsync(0);
  expect(lines.slice(before)).toEqual([expect.objectContaining({ refused: 1, peer: '10.0.0.7' })]);
});
