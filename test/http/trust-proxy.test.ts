import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { buildHttpServer } from '../../src/http/server.js';

/** The client address the service sees for a request from `peer` that claims `forwarded`. */
async function seen(trustProxy: string | number | undefined, peer: string, forwarded: string) {
  const server = buildHttpServer({
    health: () =>
      Promise.resolve({
        ok: true,
        municipality: 'Rijswijk',
        database: { kind: 'sqlite', ok: true },
        queue: { driver: 'sql', ok: true },
        channels: {},
      }),
    ...(trustProxy !== undefined ? { trustProxy } : {}),
    routes: [(s) => s.get('/ip', (request) => ({ ip: request.ip }))],
  });
  try {
    const res = await server.inject({
      method: 'GET',
      url: '/ip',
      remoteAddress: peer,
      headers: { 'x-forwarded-for': forwarded },
    });
    return res.json<{ ip: string }>().ip;
  } finally {
    await server.close();
  }
}

describe('client addresses behind a proxy (TRUST_PROXY)', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY is configured', async () => {
    expect(await seen(undefined, '203.0.113.9', '10.9.9.9')).toBe('203.0.113.9');
    expect(await seen(undefined, '127.0.0.1', '10.9.9.9')).toBe('127.0.0.1');
  });

  it('believes the header only from the configured proxies', async () => {
    expect(await seen('loopback', '127.0.0.1', '198.51.100.7')).toBe('198.51.100.7');
    expect(await seen('loopback', '203.0.113.9', '198.51.100.7')).toBe('203.0.113.9');
    expect(await seen('10.0.0.0/8', '10.1.2.3', '198.51.100.7, 10.4.4.4')).toBe('198.51.100.7');
    expect(await seen(1, '10.1.2.3', '198.51.100.7, 192.0.2.1')).toBe('192.0.2.1');
  });

  it('reads TRUST_PROXY as hops or addresses, and names a wrong value', () => {
    expect(parseConfig({}).TRUST_PROXY).toBeUndefined();
    expect(parseConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parseConfig({ TRUST_PROXY: '10.0.0.1, 172.16.0.0/12,loopback,::1' }).TRUST_PROXY).toBe(
      '10.0.0.1,172.16.0.0/12,loopback,::1',
    );
    for (const wrong of ['true', '0', '10.0.0.0/33', 'proxy.example.nl', ','])
      expect(() => parseConfig({ TRUST_PROXY: wrong }), wrong).toThrow(
        /^Configuration error: TRUST_PROXY: expected a number of proxies/,
      );
  });
});
