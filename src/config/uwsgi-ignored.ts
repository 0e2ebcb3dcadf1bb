// The uWSGI options corral accepts but ignores (they mean nothing for a Node.js app), each with the reason given in its warning.
export interface IgnoredOption {
  readonly key: string;
  /** Why it is ignored, finishing the sentence `ignoring "<key>": …`. */
  readonly reason: string;
  /** On the command line it takes a value (`--home DIR`); false for on/off switches (`--enable-threads`). */
  readonly takesValue: boolean;
}

export const ignoredOptions: readonly IgnoredOption[] = Object.freeze([
  { key: 'home', reason: 'it names a Python virtualenv, which a Node.js app does not use', takesValue: true },
  { key: 'virtualenv', reason: 'it names a Python virtualenv, which a Node.js app does not use', takesValue: true },
  {
    key: 'plugins',
    reason: 'corral has no plugins; HTTP, static files and Node.js apps are built in',
    takesValue: true,
  },
  {
    key: 'plugin',
    reason: 'corral has no plugins; HTTP, static files and Node.js apps are built in',
    takesValue: true,
  },
  {
    key: 'enable-threads',
    reason: 'it turns on Python threads; Node.js apps start worker threads on their own',
    takesValue: false,
  },
  { key: 'wsgi-file', reason: 'it names a Python WSGI file; use "module" (path/to/app.js[:export])', takesValue: true },
  { key: 'callable', reason: 'it names a Python WSGI callable; use "module" with ":exportName"', takesValue: true },
  {
    key: 'socket',
    reason: 'it opens a uwsgi-protocol socket for a front web server; corral speaks HTTP only, use "http"',
    takesValue: true,
  },
  {
    key: 'http-websockets',
    reason: 'WebSocket upgrades always reach an app that takes them (an `upgrade` export or an exported http.Server)',
    takesValue: false,
  },
  { key: 'protocol', reason: 'corral speaks HTTP only; use "http"', takesValue: true },
]);

export function findIgnoredOption(key: string): IgnoredOption | undefined {
  return ignoredOptions.find((option) => option.key === key);
}
