import { describe, expect, it } from 'vitest';
import { systemdUnit, unitName, type UnitInput } from './systemd.ts';

const base: UnitInput = {
  program: ['/usr/local/bin/corral'],
  configPath: '/srv/shop/app.yaml',
  workingDirectory: '/srv/shop',
  gracefulTimeout: 30,
  shutdownDelay: 0,
  http: [{ kind: 'tcp', host: undefined, port: 8080, text: ':8080' }],
};

/** The value of `key=` in the [Service] part. */
function directive(unit: string, key: string): string | undefined {
  return unit
    .split('\n')
    .find((line) => line.startsWith(`${key}=`))
    ?.slice(key.length + 1);
}

describe('systemdUnit', () => {
  it('writes a Type=notify service for the single executable and the absolute config', () => {
    const unit = systemdUnit(base);
    expect(unit.split('\n')[0]).toBe('# /etc/systemd/system/app.service (written by corral systemd)');
    expect(directive(unit, 'Type')).toBe('notify');
    expect(directive(unit, 'NotifyAccess')).toBe('all');
    expect(directive(unit, 'ExecStart')).toBe('/usr/local/bin/corral /srv/shop/app.yaml');
    expect(directive(unit, 'ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(directive(unit, 'KillSignal')).toBe('SIGTERM');
    expect(directive(unit, 'KillMode')).toBe('mixed');
    expect(directive(unit, 'TimeoutStopSec')).toBe('40');
    expect(directive(unit, 'Restart')).toBe('on-failure');
    expect(directive(unit, 'RestartPreventExitStatus')).toBe('2 3');
    expect(directive(unit, 'WorkingDirectory')).toBe('/srv/shop');
    expect(directive(unit, 'User')).toBeUndefined();
    expect(unit).toContain('[Install]\nWantedBy=multi-user.target');
  });

  it('runs node and the bundle for the npm form, quoting what needs it', () => {
    const unit = systemdUnit({
      ...base,
      program: ['/usr/bin/node', '/opt/my corral/dist/corral.cjs'],
      configPath: '/srv/a "b"/app.ini',
    });
    expect(directive(unit, 'ExecStart')).toBe(
      '/usr/bin/node "/opt/my corral/dist/corral.cjs" "/srv/a \\"b\\"/app.ini"',
    );
  });

  it('gives systemd shutdown-delay + graceful-timeout and a margin before its SIGKILL', () => {
    expect(directive(systemdUnit({ ...base, gracefulTimeout: 20, shutdownDelay: 5.5 }), 'TimeoutStopSec')).toBe('36');
  });

  it('sets User and Group from uid and gid', () => {
    const unit = systemdUnit({ ...base, uid: 1001, gid: 1002 });
    expect(directive(unit, 'User')).toBe('1001');
    expect(directive(unit, 'Group')).toBe('1002');
  });

  it('comments a socket unit with one ListenStream per http address, in order', () => {
    const unit = systemdUnit({
      ...base,
      http: [
        { kind: 'tcp', host: undefined, port: 8080, text: ':8080' },
        { kind: 'tcp', host: '127.0.0.1', port: 9000, text: '127.0.0.1:9000' },
        { kind: 'tcp', host: '::1', port: 9001, text: '[::1]:9001' },
        { kind: 'unix', path: '/run/shop.sock', text: '/run/shop.sock' },
      ],
    });
    const streams = unit.split('\n').filter((line) => line.startsWith('# ListenStream='));
    expect(streams).toEqual([
      '# ListenStream=8080',
      '# ListenStream=127.0.0.1:9000',
      '# ListenStream=[::1]:9001',
      '# ListenStream=/run/shop.sock',
    ]);
    // Every line of the socket unit is a comment: the printed service stays one valid unit.
    const socketPart = unit.slice(unit.indexOf('# Socket activation'));
    expect(socketPart.split('\n').every((line) => line === '' || line.startsWith('#'))).toBe(true);
  });

  it('names the unit after the config file', () => {
    expect(unitName('/etc/corral/shop.yaml')).toBe('shop');
    expect(unitName(undefined)).toBe('corral');
    expect(unitName('/x/my app.ini')).toBe('my-app');
  });
});
