/**
 * Delivered-marks are written in batches that gather for one setImmediate. On SQLite a burst of
 * work never waits for I/O (every statement answers at once), so it runs on the microtask queue
 * alone and setImmediate does not come until the burst ends. The marks of everything delivered
 * meanwhile waited for it, and each message left undelivered in the outbox was read and compared
 * again at every later turn to that person: some 2,000 to one alderman in the routing benchmark.
 */
import { afterEach, expect, it } from 'vitest';
import { Dispatcher, MARKS_PER_BATCH } from '../../src/engine/dispatcher.js';
import type { ChannelAdapter, ChannelState } from '../../src/ports/channel.js';
import type { OutboundMessage } from '../../src/ports/messages.js';
import type { JobQueue } from '../../src/ports/queue.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { Database } from '../../src/storage/database.js';
import { createUnitOfWork } from '../../src/storage/unit-of-work.js';
import { freshTarget } from '../support/services.js';

/** A console channel that takes every message at once (no I/O), as the console does. */
class InstantChannel implements ChannelAdapter {
  readonly name = 'console';
  readonly sent: string[] = [];
  state(): ChannelState {
    return 'ready';
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  send(message: OutboundMessage): Promise<void> {
    this.sent.push(message.text);
    return Promise.resolve();
  }
}

const noJobs = new Proxy({} as JobQueue, {
  get: (_, name) => {
    throw new Error(`the job queue was used (${String(name)}) where only messages were written`);
  },
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

it('regression: marks what was delivered during a burst that never leaves the microtask queue (all marks waited for its end)', async () => {
  const fresh = await freshTarget('sqlite');
  const db = await Database.open(fresh.target);
  cleanups.push(async () => {
    await db.close();
    await fresh.cleanup();
  });
  const uow = createUnitOfWork(db);
  const clock = new ManualClock('2026-12-04T09:00:00Z');
  const channel = new InstantChannel();
  const logger = createLogger({ level: 'silent', production: true });
  const dispatcher = new Dispatcher({
    uow,
    queue: noJobs,
    clock,
    logger,
    channels: new Map([['console', channel]]),
  });
  const count = 3 * MARKS_PER_BATCH;
  const alderman = { channel: 'console', userId: 'wethouder' };
  const now = clock.now();
  const items = await uow.run((r) =>
    r.conversations.addToOutbox(
      Array.from({ length: count }, (_, n) => ({
        kind: 'message' as const,
        to: alderman,
        text: `melding ${n}`,
      })),
      now,
      new Date(now.getTime() + 60_000),
    ),
  );

  dispatcher.deliver(items);
  // The burst: microtasks only, as jobs on SQLite run; setImmediate cannot come in between.
  let immediate = false;
  setImmediate(() => (immediate = true));
  let undelivered = count;
  for (let turn = 0; turn < 10_000 && undelivered >= MARKS_PER_BATCH; turn++) {
    undelivered = await uow.run((r) => r.conversations.countUndelivered());
  }
  expect(immediate).toBe(false);
  expect(channel.sent).toHaveLength(count);
  expect(undelivered).toBeLessThan(MARKS_PER_BATCH);

  await dispatcher.idle();
  expect(await uow.run((r) => r.conversations.countUndelivered())).toBe(0);
});
