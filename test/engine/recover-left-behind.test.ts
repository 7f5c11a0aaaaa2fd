/**
 * The periodic sweep takes up messages left behind (their process died, or their turn met a
 * database that was away), and leaves a fresh message to the process that is handling it: taking
 * that one up too ran its turn twice, and the loser's replies went out later, through the outbox sweep.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LEFT_BEHIND_AFTER_MS } from '../../src/engine/engine.js';
import { ManualClock } from '../../src/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app-driver.js';
import { databaseKinds, freshTarget } from '../support/services.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** Stores a message as another process would, without handling it here; `ago` ms before now. */
async function storedElsewhere(t: TestApp, userId: string, ago: number): Promise<void> {
  await t.app.uow.run((r) =>
    r.conversations.storeInbound({
      dedupeKey: `console:${userId}:1`,
      address: { channel: 'console', userId },
      kind: 'message',
      text: 'hallo',
      now: new Date(t.clock.now().getTime() - ago),
    }),
  );
}

const pending = (t: TestApp, userId: string) =>
  t.app.uow.run((r) => r.conversations.nextPending(`console:${userId}`));

describe.each(databaseKinds)('the sweep’s recovery on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'takes up a message pending for LEFT_BEHIND_AFTER_MS and leaves a fresher one to its process until it is that old (regression: every sweep ran the turns another live process was running, and their replies came later)',
    async () => {
      const fresh = await freshTarget(kind);
      const clock = new ManualClock('2026-12-01T09:00:00Z');
      const t = await startTestApp({ databaseUrl: fresh.url, clock });
      stops.push(fresh.cleanup, () => t.app.stop());
      await storedElsewhere(t, 'left', LEFT_BEHIND_AFTER_MS);
      await storedElsewhere(t, 'busy', LEFT_BEHIND_AFTER_MS - 1000);

      await t.app.sweep();
      await t.app.settle();
      expect(await pending(t, 'left')).toBeNull();
      expect(t.sent.filter((m) => m.to === 'left').length).toBeGreaterThan(0);
      expect(await pending(t, 'busy')).toMatchObject({ item: { text: 'hallo' } });
      expect(t.sent.filter((m) => m.to === 'busy')).toEqual([]);

      // Its process did not handle it after all (it died): a later sweep takes it up.
      clock.advance(1000);
      await t.app.sweep();
      await t.app.settle();
      expect(await pending(t, 'busy')).toBeNull();
      expect(t.sent.filter((m) => m.to === 'busy').length).toBeGreaterThan(0);
    },
  );
});
