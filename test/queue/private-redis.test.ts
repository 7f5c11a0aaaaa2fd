import net from 'node:net';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { serverPort } from '../support/net.js';
import { privateRedis, type PrivateRedisServer } from '../support/private-redis.js';
import { redisAvailable } from '../support/services.js';

// The tests' own Redis servers, which tests kill and start again on the same port. A CI run once
// failed because the random port was the local end of another connection ("Address already in use").
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.end('-ERR not the test redis\r\n'));
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function ping(server: PrivateRedisServer): Promise<string> {
  const client = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

describe('serverPort', () => {
  it('is free and below the range the system hands out to outgoing connections', async () => {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    for (let i = 0; i < 20; i++) {
      const port = await serverPort();
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(Number(start));
      const server = await listen(port);
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe.skipIf(!redisAvailable)('privateRedis', () => {
  it('answers on the port it reports', async () => {
    const redis = await privateRedis();
    cleanups.push(() => redis.stop());
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await ping(redis)).toBe('PONG');
  });

  it('a restart on a port another socket still holds waits for it, and is not fooled by that socket', async () => {
    const port = await serverPort();
    const other = await listen(port);
    let released = false;
    const release = setTimeout(() => {
      released = true;
      other.close();
    }, 600);
    cleanups.push(async () => {
      clearTimeout(release);
      other.close();
    });

    const redis = await privateRedis({ port });
    cleanups.push(() => redis.stop());
    // Something answered on the port all along; the helper waited for its own server.
    expect(released).toBe(true);
    expect(redis.port).toBe(port);
    expect(await ping(redis)).toBe('PONG');
  });
});
