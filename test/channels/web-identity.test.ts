import { fastifyCookie } from '@fastify/cookie';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { COOKIE_NAME, ResidentCookie } from '../../bots/web/identity.js';

/** The Set-Cookie a reply got, as a browser would then send it back. */
function exchange(cookies: ResidentCookie, residentId: string): FastifyRequest {
  let header = '';
  const reply = { header: (_name: string, value: string) => (header = value) } as unknown as FastifyReply;
  const request = { protocol: 'http', headers: {} } as FastifyRequest;
  cookies.keep(request, reply, residentId);
  return { protocol: 'http', headers: { cookie: header.split(';')[0] } } as FastifyRequest;
}

describe("the web chat's resident cookie", () => {
  // @fastify/cookie loads its cookie parser when the plugin is registered (as the server does).
  beforeAll(async () => {
    const app = Fastify();
    await app.register(fastifyCookie);
    await app.ready();
    await app.close();
  });
  const id = 'a'.repeat(32);

  it('reads back the id it signed, and nothing from a tampered or missing cookie', () => {
    const cookies = new ResidentCookie('a web chat secret for this test only');
    expect(cookies.read(exchange(cookies, id))).toBe(id);
    expect(cookies.read({ headers: { cookie: `${COOKIE_NAME}=${id}.forged` } } as FastifyRequest)).toBeNull();
    expect(cookies.read({ headers: {} } as FastifyRequest)).toBeNull();
  });

  it('never takes a forgotten id again: a page still holding the old cookie gets a new identity', () => {
    const cookies = new ResidentCookie('a web chat secret for this test only');
    const stale = exchange(cookies, id);
    const cleared: string[] = [];
    const reply = {
      header: (_name: string, value: string) => cleared.push(value),
    } as unknown as FastifyReply;
    cookies.forget(stale, reply);
    expect(cleared[0]).toMatch(/Expires=Thu, 01 Jan 1970/);
    // Another tab reconnects with the cookie it still has, before the browser dropped it.
    expect(cookies.read(stale)).toBeNull();
    const other = 'b'.repeat(32);
    expect(cookies.read(exchange(cookies, other))).toBe(other);
  });
});
