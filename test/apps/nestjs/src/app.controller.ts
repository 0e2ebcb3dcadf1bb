import { Body, Controller, Get, Header, HttpCode, Post, Redirect } from '@nestjs/common';

export class CreateGreetingDto {
  name: string;
  count: number;
}

@Controller()
export class AppController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  home(): string {
    return [
      '<!doctype html>',
      '<html><head><title>Nest on corral</title><link rel="stylesheet" href="/assets/site.css"></head>',
      `<body><h1>Hello from NestJS</h1><p>Rendered by worker ${process.pid}</p></body></html>`,
    ].join('\n');
  }

  @Post('api/greetings')
  @HttpCode(201)
  create(@Body() dto: CreateGreetingDto) {
    return { greeting: `Hello, ${dto.name}!`, doubled: dto.count * 2, pid: process.pid };
  }

  @Get('old-home')
  @Redirect('/', 301)
  oldHome() {}
}
