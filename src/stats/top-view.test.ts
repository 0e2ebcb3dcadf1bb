// Tests corral top's frame: the columns that fit 80 and 120 columns, every line within the width, the rate from the previous snapshot, and client text made safe for a terminal.
import { expect, test } from 'vitest';
import { HOSTILE_PATH, snapshotFixture, workerFixture } from './snapshot-fixture.ts';
import { terminalSafe, topView } from './top-view.ts';

const snapshot = snapshotFixture();
const lines = (frame: string) => frame.split('\n').slice(0, -1);

test('at 80 columns: the main worker columns, every line within the width', () => {
  const frame = topView(snapshot, undefined, 80);
  for (const line of lines(frame)) expect(line.length).toBeLessThanOrEqual(80);
  expect(frame).toMatchInlineSnapshot(`
    "corral 0.1.0  master 4000  up 2h01m  |  master RSS 45.0 MiB  30 req/s
    requests  app 2912  static 153
    1xx 0  2xx 3050  3xx 0  4xx 15  5xx 0  other 0
    listeners  127.0.0.1:8080 http 3 conn, [::1]:8443 https 1 conn
    static cache  140 hits, 13 misses

     ID     PID STATUS      REQ/S  INFL     P99       RSS  RESP LAST EXIT
      1    4001 idle           10     0   4.2ms  80.0 MiB     0 -
      2    4002 busy           20     2   4.2ms  80.0 MiB     1 crash (SIGKILL), 42…

    RECENT RESTARTS
         42s ago  worker 2  pid 3999  crash (SIGKILL)

    SLOWEST REQUESTS (last minute)
        813ms  404  worker 2  3s ago  r-17  GET /<img src=x onerror=alert(1)>?[2J
         95ms  200  worker 1  20s ago  r-9  POST /api/report

    CERTIFICATES
         9 days left (!)  2027-01-10  example.com, www.example.com  (acme)
       150 days left      2027-06-01  api.example.com  (/etc/corral/api.pem)
    "
  `);
});

test('at 120 columns: heap, loop delay and uptime join, and the last exit is whole', () => {
  const frame = topView(snapshot, undefined, 120);
  for (const line of lines(frame)) expect(line.length).toBeLessThanOrEqual(120);
  const header = lines(frame).find((line) => line.trimStart().startsWith('ID'));
  expect(header).toBe(
    ' ID     PID STATUS      REQ/S  INFL     P50     P99       RSS      HEAP    LOOP  UPTIME  RESP LAST EXIT',
  );
  expect(frame).toContain(' 1 crash (SIGKILL), 42s ago\n');
  expect(frame).toContain('requests  app 2912  static 153  |  1xx 0  2xx 3050  3xx 0  4xx 15  5xx 0  other 0\n');
});

test('each worker pid is on its row; a slot waiting for its respawn shows no pid and no uptime', () => {
  const waiting = snapshotFixture({
    workers: [workerFixture(1), workerFixture(2, { pid: null, status: 'respawning' })],
  });
  const rows = lines(topView(waiting, undefined, 120)).filter(
    (line) => /^\s+\d+\s/.test(line) && !line.includes('ago'),
  );
  expect(rows[0]).toMatch(/^\s+1\s+4001 idle /);
  expect(rows[1]).toMatch(/^\s+2\s+- respawning /);
  expect(rows[1]).toContain('      -     0 -');
});

test('the request rate comes from the previous snapshot when there is one, else from the workers', () => {
  const earlier = snapshotFixture({
    at: snapshot.at - 2,
    requests: { ...snapshot.requests, app: { ...snapshot.requests.app, '2xx': 2700 } },
  });
  expect(lines(topView(snapshot, earlier, 120))[0]).toMatch(/ 100 req\/s$/);
  expect(lines(topView(snapshot, undefined, 120))[0]).toMatch(/ 30 req\/s$/);
  // A previous snapshot from another master (corral restarted) is not compared with.
  expect(lines(topView(snapshot, { ...earlier, pid: 1 }, 120))[0]).toMatch(/ 30 req\/s$/);
});

test('a hostile path is printed as text: no escape sequence reaches the terminal', () => {
  const frame = topView(snapshot, undefined, 120);
  expect(frame).toContain('GET /<img src=x onerror=alert(1)>?[2J');
  expect(frame).not.toContain('\u001b');
  expect(terminalSafe(HOSTILE_PATH)).toBe('/<img src=x onerror=alert(1)>?[2J');
  expect(terminalSafe('a\u202eb\u0007c\u009bd')).toBe('a?b?c?d');
});

test('a narrow terminal keeps the first columns and cuts long lines', () => {
  const frame = topView(snapshot, undefined, 40);
  for (const line of lines(frame)) expect(line.length).toBeLessThanOrEqual(40);
  expect(lines(frame).find((line) => line.trimStart().startsWith('ID'))).toBe(' ID     PID STATUS      REQ/S     P99');
});
