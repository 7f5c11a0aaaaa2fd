import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter, ChannelState } from '../../src/ports/channel.js';
import type { OutboundMessage } from '../../src/ports/messages.js';
import { ManualClock } from '../../src/shared/clock.js';
import { startTestApp } from '../support/app-driver.js';
import { databaseKinds, freshTarget } from '../support/services.js';

/** A channel whose sends to one person fail while `failing` holds. */
class FlakyChannel implements ChannelAdapter {
  readonly name = 'flaky';
  readonly delivered: OutboundMessage[] = [];
  failing = new Set<string>();
  tries = 0;
  state(): ChannelState {
    return 'ready';
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(message: OutboundMessage): Promise<void> {
    this.tries++;
    if (this.failing.has(message.to.userId)) throw new Error('injected: the network dropped the send');
    this.delivered.push(message);
  }
  to(userId: string): number[] {
    return this.delivered.filter((m) => m.to.userId === userId).map((m) => Number(m.id));
  }
}

// The same suite on every database: the order rests on each store's claim query (SQLite, PostgreSQL).
for (const { kind, available } of databaseKinds) {
  describe.skipIf(!available)(`order per resident across failed sends, on ${kind}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      while (cleanups.length) await cleanups.pop()!();
    });
    /** A fresh database of this kind, dropped after the test. */
    const databaseUrl = async () => {
      const fresh = await freshTarget(kind);
      cleanups.push(fresh.cleanup);
      return fresh.url;
    };

    it('regression: a later message to a person whose send failed waits for the retry; others go on', async () => {
      const channel = new FlakyChannel();
      const clock = new ManualClock('2026-12-01T09:00:00Z');
      const t = await startTestApp({ databaseUrl: await databaseUrl(), channels: [channel], clock });
      const say = (userId: string, messageId: string, text: string) =>
        t.app.engine.receive({ channel: 'flaky', userId, messageId, text });
      try {
        channel.failing.add('r1');
        await say('r1', 'a', 'hallo');
        await say('r2', 'b', 'hallo');
        await t.app.dispatcher.idle();
        channel.failing.delete('r1');
        // r1's first reply failed; the rest of r1's replies, and those of a new message, must wait.
        await say('r1', 'c', 'menu');
        await t.app.dispatcher.idle();
        await t.app.dispatcher.sweep();
        await t.app.dispatcher.idle();
        expect(channel.to('r1')).toEqual([]);
        expect(channel.to('r2').length).toBeGreaterThanOrEqual(3);

        // The retry is due: everything to r1 leaves, in the order it was written.
        clock.advance(1500);
        await t.app.dispatcher.sweep();
        await t.app.dispatcher.idle();
        await t.app.settle();
        const r1 = channel.to('r1');
        const stored = await t.app.db.run((m) =>
          m.query<{ id: number }[]>(
            `SELECT id FROM outbox WHERE kind = 'message' AND channel = 'flaky' AND user_id = 'r1' ORDER BY id`,
          ),
        );
        expect(r1).toEqual(stored.map((r) => Number(r.id)));
        expect(r1.length).toBeGreaterThanOrEqual(4);
        expect(new Set(r1).size).toBe(r1.length);
      } finally {
        await t.driver.close();
      }
    });

    it.each([
      ['claimed by another process (its commit acknowledgement was lost)', 60_000],
      ['written unclaimed by a process without the channel, not yet swept', 0],
    ])(
      'regression: a new reply waits behind an earlier message to the same person %s',
      async (_, claimMs) => {
        const channel = new FlakyChannel();
        const clock = new ManualClock('2026-12-01T09:00:00Z');
        const t = await startTestApp({ databaseUrl: await databaseUrl(), channels: [channel], clock });
        const say = (userId: string, messageId: string, text: string) =>
          t.app.engine.receive({ channel: 'flaky', userId, messageId, text });
        const r1 = { channel: 'flaky', userId: 'r1' };
        try {
          await say('r1', 'a', 'hallo');
          await t.app.settle();
          const before = channel.to('r1').length;
          expect(before).toBeGreaterThan(0);
          const now = clock.now();
          const [elsewhere] = await t.app.uow.transaction((r) =>
            r.conversations.addToOutbox(
              [{ kind: 'message', to: r1, text: 'van elders' }],
              now,
              new Date(now.getTime() + claimMs),
            ),
          );
          await say('r1', 'b', 'menu');
          await say('r2', 'c', 'hallo');
          await t.app.dispatcher.idle();
          // Nothing to r1 overtook the earlier message; r2 was not held up.
          const meanwhile = channel.to('r1').slice(before);
          if (claimMs > 0) expect(meanwhile).toEqual([]);
          else expect(meanwhile.length === 0 || meanwhile[0] === elsewhere!.id).toBe(true);
          expect(channel.to('r2').length).toBeGreaterThan(0);

          clock.advance(claimMs + 1000);
          await t.app.settle();
          const stored = await t.app.db.run((m) =>
            m.query<{ id: number }[]>(
              `SELECT id FROM outbox WHERE kind = 'message' AND channel = 'flaky' AND user_id = 'r1' ORDER BY id`,
            ),
          );
          expect(channel.to('r1')).toEqual(stored.map((r) => Number(r.id)));
          expect(channel.to('r1').length).toBeGreaterThan(before + 1);
        } finally {
          await t.driver.close();
        }
      },
    );
  });
}
