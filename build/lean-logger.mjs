// An esbuild plugin that keeps pino from loading Node's worker_threads and assert modules, which corral's use of it never needs.

/**
 * pino loads worker_threads (for `isMainThread`, and through thread-stream for its transports) and sonic-boom loads
 * assert (one argument check) as they start; each drags in a family of Node's internal modules whose code every
 * process then maps and compiles: measured, 1.9 MB more RSS for a process that requires both. corral runs pino on
 * the main thread and never with a transport (they break in a bundle, see docs), so in the bundle:
 * - pino's `require('worker_threads')` gets `{ isMainThread: true }`;
 * - pino's `require('thread-stream')` gets a class that refuses to be made (a transport);
 * - sonic-boom's `require('assert')` gets a function that throws the same message when its check fails.
 */
const STUBS = [
  {
    from: /[\\/]node_modules[\\/]pino[\\/]/,
    name: 'worker_threads',
    contents: 'module.exports = { isMainThread: true };\n',
  },
  {
    from: /[\\/]node_modules[\\/]pino[\\/]/,
    name: 'thread-stream',
    contents:
      "module.exports = class ThreadStream { constructor() { throw new Error('pino transports are not available in corral: log to stdout'); } };\n",
  },
  {
    from: /[\\/]node_modules[\\/]sonic-boom[\\/]/,
    name: 'assert',
    contents: 'module.exports = function assert(value, message) { if (!value) throw new Error(message); };\n',
  },
];

export function leanLogger() {
  return {
    name: 'lean-logger',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^(worker_threads|thread-stream|assert)$/ }, (args) => {
        const stub = STUBS.find((s) => s.name === args.path && s.from.test(args.importer));
        return stub === undefined ? undefined : { path: args.path, namespace: 'lean-logger', pluginData: stub };
      });
      pluginBuild.onLoad({ filter: /.*/, namespace: 'lean-logger' }, (args) => ({
        contents: args.pluginData.contents,
        loader: 'js',
      }));
    },
  };
}
