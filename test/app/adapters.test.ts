// Real-listener tests of the Node-listener, Koa-style, Fastify-style and http.Server adapters.
import { EventEmitter } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { adaptApp } from '../../src/app/detect-shape.ts';
import { request, serve, type Served } from './serve.ts';

const FILE = '/srv/app.mjs';
let served: Served | undefined;

afterEach(async () => {
  await served?.close();
  served = undefined;
});

async function serveApp(value: unknown, shape: string): Promise<Served> {
  const adapted = await adaptApp(value, FILE);
  expect(adapted.shape).toBe(shape);
  served = await serve(adapted.handler);
  return served;
}

describe('node listener adapter', () => {
  it('calls the function with req and res', async () => {
    const s = await serveApp(
      (req: IncomingMessage, res: ServerResponse) => res.end(`listener ${req.url}`),
      'node-listener',
    );
    expect((await request(`${s.url}/x`)).body.toString()).toBe('listener /x');
  });

  it('rejects when an async listener rejects, so the caller answers 500', async () => {
    const s = await serveApp(async () => {
      throw new Error('listener broke');
    }, 'node-listener');
    expect((await request(`${s.url}/`)).status).toBe(500);
    expect(String(s.errors[0])).toContain('listener broke');
  });

  it('handles an Express-like function app (an emitter with listen(), no request listener)', async () => {
    const express = Object.assign(
      (req: IncomingMessage, res: ServerResponse, next?: () => void) => {
        expect(next).toBeUndefined();
        res.end(`express-like ${req.method}`);
      },
      EventEmitter.prototype,
      // Express's app.use and app.handle: a function of three parameters with them is an app, not a connect handler.
      { listen: () => expect.unreachable('never listened on'), use() {}, handle() {} },
    );
    const s = await serveApp(express, 'node-listener');
    expect((await request(`${s.url}/`, { method: 'DELETE' })).body.toString()).toBe('express-like DELETE');
  });
});

describe('connect-style adapter', () => {
  const handler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
    if (req.url === '/page') return void res.end('page');
    if (req.url === '/broken') return next(new Error('broken page'));
    if (req.url === '/later') return void setTimeout(() => next(), 5);
    next();
  };

  it('answers what the handler answers, and 404 when it calls next()', async () => {
    const s = await serveApp(handler, 'connect');
    expect((await request(`${s.url}/page`)).body.toString()).toBe('page');
    const missing = await request(`${s.url}/missing`);
    expect([missing.status, missing.body.toString()]).toEqual([404, 'Not Found\n']);
    expect((await request(`${s.url}/later`)).status).toBe(404);
    expect(s.errors).toEqual([]);
  });

  it('fails the request as a throw would when next() is given an error', async () => {
    const s = await serveApp(handler, 'connect');
    expect((await request(`${s.url}/broken`)).status).toBe(500);
    expect(s.errors).toEqual([new Error('broken page')]);
  });

  it('fails the request when the handler throws or its promise rejects', async () => {
    const s = await serveApp(async (req: IncomingMessage, _res: ServerResponse, _next: unknown) => {
      if (req.url === '/sync') throw new Error('sync');
      await Promise.resolve();
      throw new Error('async');
    }, 'connect');
    expect((await request(`${s.url}/a`)).status).toBe(500);
    expect(s.errors).toEqual([new Error('async')]);
  });
});

describe('Koa-style adapter', () => {
  it('calls callback() once and uses its listener for every request', async () => {
    let callbacks = 0;
    const koa = Object.assign(new EventEmitter(), {
      listen: () => expect.unreachable('never listened on'),
      callback() {
        callbacks++;
        return async (req: IncomingMessage, res: ServerResponse) => {
          res.end(`koa-like ${req.url}`);
        };
      },
    });
    const s = await serveApp(koa, 'koa');
    expect((await request(`${s.url}/one`)).body.toString()).toBe('koa-like /one');
    expect((await request(`${s.url}/two`)).body.toString()).toBe('koa-like /two');
    expect(callbacks).toBe(1);
  });
});

describe('Fastify-style adapter', () => {
  it('awaits ready() once, then routes every request through routing()', async () => {
    let readyCalls = 0;
    let routed = 0;
    const fastify = {
      server: http.createServer(),
      async ready() {
        readyCalls++;
      },
      routing(req: IncomingMessage, res: ServerResponse) {
        routed++;
        res.end(`fastify-like ${req.url} ready=${readyCalls}`);
      },
      listen: () => expect.unreachable('never listened on'),
    };
    const s = await serveApp(fastify, 'fastify');
    expect((await request(`${s.url}/a`)).body.toString()).toBe('fastify-like /a ready=1');
    expect((await request(`${s.url}/b`)).body.toString()).toBe('fastify-like /b ready=1');
    expect({ readyCalls, routed }).toEqual({ readyCalls: 1, routed: 2 });
    expect(fastify.server.listening).toBe(false);
  });
});

describe('http.Server adapter', () => {
  it("calls the server's request listener with the server as this, and never listens", async () => {
    let thisSeen: unknown;
    const server = http.createServer(function (this: unknown, req, res) {
      thisSeen = this;
      res.end(`http-server ${req.url}`);
    });
    server.listen = () => expect.unreachable('never listened on');
    const s = await serveApp(server, 'http-server');
    expect((await request(`${s.url}/srv`)).body.toString()).toBe('http-server /srv');
    expect(thisSeen).toBe(server);
    expect(server.listening).toBe(false);
  });

  it('calls every request listener, including ones added after load', async () => {
    const calls: string[] = [];
    const server = http.createServer(() => calls.push('first'));
    const s = await serveApp(server, 'http-server');
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      calls.push('second');
      res.end('both');
    });
    expect((await request(`${s.url}/`)).body.toString()).toBe('both');
    expect(calls).toEqual(['first', 'second']);
  });
});
