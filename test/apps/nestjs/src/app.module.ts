import { Module, OnApplicationShutdown } from '@nestjs/common';
import { AppController } from './app.controller';
import { EventsGateway } from './events.gateway';

@Module({
  controllers: [AppController],
  providers: [EventsGateway],
})
export class AppModule implements OnApplicationShutdown {
  onApplicationShutdown() {
    // One JSON line, so that it reads like corral's own log lines.
    console.log(JSON.stringify({ msg: 'nest application shutdown', pid: process.pid }));
  }
}
