import { MessageBody, SubscribeMessage, WebSocketGateway, WsResponse } from '@nestjs/websockets';

// No port: the gateway shares the HTTP server, on the path /ws.
@WebSocketGateway({ path: '/ws' })
export class EventsGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown): WsResponse<unknown> {
    return { event: 'echo', data: { echoed: data, pid: process.pid } };
  }
}
