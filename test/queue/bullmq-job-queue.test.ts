/** What only the BullMQ driver does: refuse an evicting Redis, and encode ids BullMQ would refuse. */
import { afterAll, describe, expect, it } from 'vitest';
import { BullMqJobQueue, decodeJobId, encodeJobId } from '../../src/queue/bullmq-job-queue.js';
import { createJobQueue } from '../../src/app/create-queue.js';
import { RedisEvictionPolicyError } from '../../src/queue/errors.js';
import { systemClock } from '../../src/shared/clock.js';
import { Database } from '../../src/storage/database.js';
import { privateRedis, randomPort } from '../support/private-redis.js';
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
    const port = randomPort();
    const redis = await privateRedis(port, ['--maxmemory-policy', 'allkeys-lru']);
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
