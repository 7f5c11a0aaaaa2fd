/** What only the BullMQ driver does: refuse an evicting Redis, and encode ids BullMQ would refuse. */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { BullMqJobQueue, decodeJobId, encodeJobId } from '../../src/queue/bullmq-job-queue.js';
import { createJobQueue } from '../../src/app/create-queue.js';
import { RedisEvictionPolicyError } from '../../src/queue/errors.js';
import { systemClock } from '../../src/shared/clock.js';
import { Database } from '../../src/storage/database.js';
import { redisAvailable, REDIS_URL } from '../support/services.js';

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
  const options = () => ({
    redisUrl: REDIS_URL,
    queueName: 'eviction',
    prefix: `test-${randomUUID().slice(0, 8)}`,
  });

  it('refuses a Redis whose maxmemory-policy is not noeviction, in one line', async () => {
    const redis = new Redis(REDIS_URL);
    const [, original] = (await redis.config('GET', 'maxmemory-policy')) as string[];
    try {
      await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const outcome = await BullMqJobQueue.open(options()).then(
        async (queue) => queue.close(),
        (error: unknown) => error,
      );
      expect(outcome).toBeInstanceOf(RedisEvictionPolicyError);
      expect((outcome as Error).message).toBe(
        'Redis maxmemory-policy is allkeys-lru; BullMQ needs noeviction: run CONFIG SET maxmemory-policy noeviction',
      );
    } finally {
      await redis.config('SET', 'maxmemory-policy', original!);
      redis.disconnect();
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
});
