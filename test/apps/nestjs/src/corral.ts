import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { AppModule } from './app.module';

// The module corral loads (`--module dist/corral.js`): the same app as main.ts, initialised but never listened on.
// corral takes the http.Server's 'request' listener (Express) and its 'upgrade' listener (the ws gateway's, attached
// by init()). abortOnError: false makes a failed start reject (corral reports it) instead of calling process.exit(1).
let app: INestApplication | undefined;

async function createServer() {
  app = await NestFactory.create(AppModule, { abortOnError: false });
  app.useWebSocketAdapter(new WsAdapter(app));
  await app.init();
  return app.getHttpServer();
}

export default createServer();

// corral awaits this when a worker stops, after its last request: Nest runs its onModuleDestroy,
// beforeApplicationShutdown and onApplicationShutdown hooks and closes the gateway.
export async function onShutdown() {
  await app?.close();
}
