/** What only the BullMQ driver does: refuse an evicting Redis, encode ids BullMQ would refuse, trim its events stream. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { BullMqJobQueue, decodeJobId, encodeJobId } from '../../src/queue/bullmq-job-queue.js';
import { createJobQueue } from '../../src/app/create-queue.js';
import { RedisEvictionPolicyError } from '../../src/queue/errors.js';
import { systemClock } from '../../src/shared/clock.js';
import { Database } from '../../src/storage/database.js';
import { privateRedis } from '../support/private-redis.js';
import { redisAvailable, redisPrefix, REDIS_URL, removeRedisKeys } from '../support/services.js';

describe('BullMQ job ids', () => {
  it('encodes ids with ":" or that look like integers reversibly and without collisions', () => {
    const ids = ['reminder:42', '42', '-7', '%N42', '%3A', 'a%b:c', 'plain', '4x'];
    const encoded = ids.map(encodeJobId);
    for (const e of encoded) {
      expect(e).not.toContain(':');
      expect(`${parseInt(e, 10)}`).not.toBe(e);
    }
    expect(new Set(encoded).size).toBe(ids.length);
    expect(encoded.map(decodeJobId)).toEqual(ids);
    expect(encodeJobId('plain')).toBe('plain');
  });
});

describe.skipIf(!redisAvailable)('BullMQ job queue', () => {
  const prefix = redisPrefix('bullmq');
  afterAll(() => removeRedisKeys(prefix));
  const options = () => ({ redisUrl: REDIS_URL, queueName: 'eviction', prefix });

  it('refuses a Redis whose maxmemory-policy is not noeviction, in one line', async () => {
    // A Redis of its own: setting the shared one's policy would break other runs' queues meanwhile.
    const redis = await privateRedis({ args: ['--maxmemory-policy', 'allkeys-lru'] });
    const port = redis.port;
    try {
      const outcome = await BullMqJobQueue.open({ ...options(), redisUrl: `redis://127.0.0.1:${port}` }).then(
        async (queue) => queue.close(),
        (error: unknown) => error,
      );
      expect(outcome).toBeInstanceOf(RedisEvictionPolicyError);
      expect((outcome as Error).message).toBe(
        'Redis maxmemory-policy is allkeys-lru; BullMQ needs noeviction: run CONFIG SET maxmemory-policy noeviction',
      );
    } finally {
      await redis.stop();
    }
  });

  it('shows every restart of Redis as a new lifetime (empty, or from a file that may lack the last writes), and a FLUSH', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spreekuur-redis-'));
    const args = ['--dir', dir];
    let redis = await privateRedis({ args });
    const port = redis.port;
    const url = `redis://127.0.0.1:${port}`;
    const open = () => BullMqJobQueue.open({ ...options(), redisUrl: url });
    const client = new Redis(url);
    client.on('error', () => undefined); // while the server is down between starts
    try {
      let queue = await open();
      const first = await queue.lifetime();
      expect(await queue.lifetime()).toBe(first);
      await queue.close();

      // Started empty on its port.
      await redis.stop();
      redis = await privateRedis({ port, args });
      queue = await open();
      const second = await queue.lifetime();
      expect(second).not.toBe(first);
      expect(await queue.lifetime()).toBe(second);

      // Started from its RDB file (SAVE first): the marker is back, the server is another.
      await client.save();
      await queue.close();
      await redis.stop();
      redis = await privateRedis({ port, args });
      queue = await open();
      const third = await queue.lifetime();
      expect(await client.get(`${prefix}:queue-lifetime`)).toBe(second.split(':')[1]);
      expect(third).not.toBe(second);

      // The keys flushed, the server running on.
      await client.flushall();
      expect(await queue.lifetime()).not.toBe(third);
      await queue.close();
    } finally {
      client.disconnect();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is what createJobQueue picks with a redisUrl', async () => {
    const db = await Database.open({ kind: 'sqlite', file: ':memory:' });
    const { redisUrl, queueName, prefix } = options();
    const queue = await createJobQueue({ redisUrl, db, clock: systemClock, queueName, prefix });
    expect(queue.driver).toBe('bullmq');
    await queue.ping();
    await queue.close();
    await db.close();
  });

  it('purging finished jobs trims the events stream: entries past the term go, recent ones and a dry run stay', async () => {
    // Regression: XTRIM MINID had never run in a test; the stream names jobs by id (a chat address).
    const queueName = 'events-trim';
    const queue = await BullMqJobQueue.open({ ...options(), queueName });
    const redis = new Redis(REDIS_URL);
    try {
      const key = `${prefix}:${queueName}:events`;
      const day = 24 * 60 * 60 * 1000;
      const now = Date.now();
      // Entries of known ages, named by id as BullMQ names its own (milliseconds-sequence).
      for (const [age, jobId] of [
        [30, 'reminder%3Awhatsapp%3A31611111111'],
        [8, 'old-8-days'],
        [6, 'recent-6-days'],
        [0, 'today'],
      ] as const)
        await redis.xadd(key, `${now - age * day}-0`, 'event', 'completed', 'jobId', jobId);
      // And a real job's own events, written by BullMQ now.
      await queue.enqueue('noop', { n: 1 }, { jobId: 'live-job' });
      const ids = async () => (await redis.xrange(key, '-', '+')).map(([id]) => id);
      const before = await ids();
      expect(before.length).toBeGreaterThanOrEqual(5);
      const msOf = (id: string) => Number(id.split('-')[0]);

      const term = new Date(now - 7 * day);
      await queue.purgeFinished(term, { dryRun: true });
      expect(await ids()).toEqual(before);

      await queue.purgeFinished(term);
      const left = (await redis.xrange(key, '-', '+')).map(
        ([, fields]) => fields[fields.indexOf('jobId') + 1],
      );
      expect(left).not.toContain('reminder%3Awhatsapp%3A31611111111');
      expect(left).not.toContain('old-8-days');
      expect(left).toEqual(expect.arrayContaining(['recent-6-days', 'today', 'live-job']));
      // Exactly the entries before the term went: every recent one written before the purge is still there.
      const after = await ids();
      expect(after.filter((id) => msOf(id) < term.getTime())).toEqual([]);
      expect(after).toEqual(expect.arrayContaining(before.filter((id) => msOf(id) >= term.getTime())));
      expect(before.filter((id) => !after.includes(id))).toHaveLength(2);
    } finally {
      redis.disconnect();
      await queue.close();
    }
  });
});
