// Unit tests for telling corral's IPC messages apart from anything else on the channel.
import { describe, expect, it } from 'vitest';
import { isMasterMessage, isWorkerMessage } from './messages.ts';

describe('message guards', () => {
  it('accept only the types each side sends', () => {
    expect(isWorkerMessage({ type: 'corral:ready', addresses: [], shape: undefined })).toBe(true);
    expect(isWorkerMessage({ type: 'corral:fatal', exitCode: 3, code: 'X', message: 'm' })).toBe(true);
    expect(isWorkerMessage({ type: 'corral:stop' })).toBe(false);
    expect(isMasterMessage({ type: 'corral:stop' })).toBe(true);
    expect(isMasterMessage({ type: 'corral:ready' })).toBe(false);
  });

  it('ignore cluster messages, the app messages and other corral-like names', () => {
    for (const value of [null, 'corral:stop', { cmd: 'NODE_CLUSTER' }, { type: 'corral:reload' }, { type: 42 }]) {
      expect(isWorkerMessage(value)).toBe(false);
      expect(isMasterMessage(value)).toBe(false);
    }
  });
});
