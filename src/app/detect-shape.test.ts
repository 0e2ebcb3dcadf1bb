// Unit tests for shape detection: each accepted shape, the order where shapes overlap, and the rejections.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { AppLoadError } from '../errors/corral-error.ts';
import { adaptApp, detectShape } from './detect-shape.ts';

const FILE = '/srv/app/server.mjs';

/** Runs adaptApp and returns the AppLoadError it throws. */
async function rejection(value: unknown): Promise<AppLoadError> {
  const error: unknown = await adaptApp(value, FILE).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppLoadError);
  return error as AppLoadError;
}

describe('detectShape', () => {
  it('takes an http.Server by its request listener', () => {
    expect(detectShape(http.createServer(() => {}))).toBe('http-server');
  });

  it('takes any emitter with listen() and a request listener as an http.Server', () => {
    const emitter = Object.assign(new EventEmitter(), { listen() {} });
    emitter.on('request', () => {});
    expect(detectShape(emitter)).toBe('http-server');
  });

  it('takes a Fastify-like instance (ready, routing, server)', () => {
    expect(detectShape({ ready: async () => {}, routing: () => {}, server: {} })).toBe('fastify');
  });

  it('takes a Koa-like app even though it is an emitter with listen()', () => {
    const koa = Object.assign(new EventEmitter(), { listen() {}, callback: () => () => {} });
    expect(detectShape(koa)).toBe('koa');
  });

  it('takes a plain object with fetch() and a class instance whose fetch is on the prototype', () => {
    class Router {
      fetch(): Response {
        return new Response('x');
      }
    }
    expect(detectShape({ fetch: () => new Response('x') })).toBe('fetch');
    expect(detectShape(new Router())).toBe('fetch');
  });

  it('takes a Hono-like instance whose fetch is an own arrow property', () => {
    class HonoLike {
      routes: unknown[] = [];
      fetch = (request: Request): Response => new Response(request.url);
    }
    expect(detectShape(new HonoLike())).toBe('fetch');
  });

  it('takes a plain function, including an Express-like one with listen() and no request listener', () => {
    const express = Object.assign((_req: unknown, _res: unknown, _next?: unknown) => {}, EventEmitter.prototype, {
      listen() {},
      use() {},
      handle() {},
    });
    expect(detectShape(() => {})).toBe('node-listener');
    expect(detectShape((_req: unknown, _res: unknown) => {})).toBe('node-listener');
    expect(detectShape(express)).toBe('node-listener');
  });

  it('takes a function of three parameters that is no Express or Connect app as a connect-style handler', () => {
    expect(detectShape((_req: unknown, _res: unknown, _next: unknown) => {})).toBe('connect');
    // Astro's middleware handler takes a fourth, optional `locals`.
    expect(detectShape(async (_req: unknown, _res: unknown, _next: unknown, _locals: unknown) => {})).toBe('connect');
  });

  it('finds nothing in values of no known shape', () => {
    for (const value of [42, 'app', true, null, undefined, {}, [], { routes: [] }, class App {}]) {
      expect(detectShape(value)).toBeUndefined();
    }
  });
});

describe('adaptApp', () => {
  it('awaits an exported promise of an app', async () => {
    const adapted = await adaptApp(Promise.resolve({ fetch: () => new Response('x') }), FILE);
    expect(adapted.shape).toBe('fetch');
    expect(typeof adapted.handler).toBe('function');
  });

  it('awaits ready() once when adapting a Fastify-like instance', async () => {
    let readyCalls = 0;
    const adapted = await adaptApp({ ready: async () => void readyCalls++, routing: () => {}, server: {} }, FILE);
    expect(adapted.shape).toBe('fastify');
    expect(readyCalls).toBe(1);
  });

  it('rejects a number, naming what it found and the accepted shapes', async () => {
    const error = await rejection(42);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/^Cannot load the app from \/srv\/app\/server\.mjs: its export is a number \(42\)/);
    expect(error.message).toMatch(/fetch app .*Node listener .*Koa app .*Fastify instance .*http\.Server/);
    expect(error.message).not.toContain('\n');
  });

  it('rejects a string', async () => {
    expect((await rejection('hello')).message).toContain('a string ("hello")');
  });

  it('rejects an object with no known keys, listing its keys and constructor', async () => {
    expect((await rejection({ routes: [], port: 3000 })).message).toContain('an object with keys routes, port');
    class Settings {
      debug = true;
    }
    expect((await rejection(new Settings())).message).toContain('an object (constructor Settings) with keys debug');
    expect((await rejection({})).message).toContain('an object with keys (none)');
  });

  it('rejects null and undefined', async () => {
    expect((await rejection(null)).message).toContain('its export is null');
    expect((await rejection(undefined)).message).toContain('its export is undefined');
  });

  it('rejects an exported class, telling to export an instance', async () => {
    class App {}
    expect((await rejection(App)).message).toContain('the class App itself (export an instance: `new App()`)');
  });

  it('rejects a Koa-like app whose callback() returns no function', async () => {
    expect((await rejection({ callback: () => 'nope' })).message).toContain(
      'it looks like a Koa app, but callback() returned a string ("nope") instead of a (req, res) listener',
    );
  });

  it('rejects when Fastify-like ready() rejects, or an exported promise rejects', async () => {
    const fastify = { ready: () => Promise.reject(new Error('plugin failed')), routing() {}, server: {} };
    expect((await rejection(fastify)).message).toContain(
      'it looks like a Fastify instance, but its ready() failed: Error: plugin failed',
    );
    expect((await rejection(Promise.reject(new Error('no db')))).message).toContain(
      'the promise it exports rejected: Error: no db',
    );
  });

  it('rejects an http.Server with no request listener', async () => {
    expect((await rejection(http.createServer())).message).toContain(
      "it looks like an http.Server, but it has no 'request' listener (pass one to http.createServer())",
    );
  });
});
