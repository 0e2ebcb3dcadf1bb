// NestJS: its build's dist/main.js listens by itself and holds the app's setup, so corral asks for a module of the user's.
import type { Framework } from './types.ts';
import { dependsOn } from './files.ts';

/**
 * A Nest app is made by the project's main.ts: NestFactory.create, then adapters, pipes, prefixes and CORS, then
 * listen(). Loading the root module with corral's own factory call would skip that setup (a WebSocket adapter left
 * out makes Nest exit for want of socket.io), and running main.ts would need Node's listen() patched. So a Nest
 * project is recognised only to say what corral needs: a module that exports `app.getHttpServer()` after
 * `await app.init()` (docs/frameworks.md), named with `module`, which then means no looking at all.
 */
export const nestjs: Framework = {
  name: 'nestjs',
  title: 'NestJS',
  recognise(dir) {
    if (!dependsOn(dir, '@nestjs/core')) return undefined;
    return {
      problem:
        "it is a NestJS project, whose dist/main.js listens by itself: export the app's server from a module of " +
        'your own (`await app.init(); export default app.getHttpServer()`, docs/frameworks.md) and name it with `module`',
    };
  },
};
