import { describe, expect, it } from 'vitest';
import type { Logger } from '../log/logger.ts';
import { SystemdNotifier } from './sd-notify.ts';

const quiet = { warn: () => {}, info: () => {} } as unknown as Logger;

describe('SystemdNotifier', () => {
  it('sends nothing without NOTIFY_SOCKET', async () => {
    const sent: string[][] = [];
    const notifier = new SystemdNotifier(undefined, quiet, async (_socket, lines) => void sent.push(lines));
    await notifier.ready('serving');
    expect(sent).toEqual([]);
  });

  it('sends in the order asked even when a send is slow, with MONOTONIC_USEC on RELOADING=1', async () => {
    const sent: string[] = [];
    const delays = [30, 20, 10];
    const notifier = new SystemdNotifier('/run/notify', quiet, async (socket, lines) => {
      await new Promise((resolve) => setTimeout(resolve, delays.shift()));
      sent.push(`${socket} ${lines.join(' ')}`);
    });
    void notifier.ready('serving on 127.0.0.1:8080');
    void notifier.reloading();
    await notifier.stopping();
    expect(sent[0]).toBe('/run/notify READY=1 STATUS=serving on 127.0.0.1:8080');
    expect(sent[1]).toMatch(/^\/run\/notify RELOADING=1 STATUS=reloading MONOTONIC_USEC=\d+$/);
    expect(sent[2]).toBe('/run/notify STOPPING=1 STATUS=stopping');
  });

  it('a failed send is logged and does not stop the next', async () => {
    const warned: unknown[] = [];
    const log = { warn: (fields: unknown) => warned.push(fields) } as unknown as Logger;
    const sent: string[] = [];
    let first = true;
    const notifier = new SystemdNotifier('/run/notify', log, async (_socket, lines) => {
      if (first) {
        first = false;
        throw Object.assign(new Error('spawn systemd-notify ENOENT'), { code: 'ENOENT' });
      }
      sent.push(lines[0] ?? '');
    });
    void notifier.ready('x');
    await notifier.stopping();
    expect(warned).toEqual([{ err: 'systemd-notify is not installed', message: 'READY=1' }]);
    expect(sent).toEqual(['STOPPING=1']);
  });
});
