/**
 * An outbox item whose claim runs out while it is still on its way (a send that waits behind a
 * chat's rate limit for longer than a claim lasts, or a clock that steps ahead) is sent once: not
 * again by the same process when a sweep's claim of it comes back after the item was marked, and
 * not by another process, because the holder moves its claims on while it sends.
 */
import { expect, it } from 'vitest';
import { Dispatcher } from '../../src/engine/dispatcher.js';
import type { ChannelAdapter, ChannelState } from '../../src/ports/channel.js';
import type { OutboundMessage } from '../../src/ports/messages.js';
import type { JobQueue } from '../../src/ports/queue.js';
import type { UnitOfWork } from '../../src/ports/unit-of-work.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { describeContract } from '../storage/storage-targets.js';

/** A console channel that records what it sent; each send waits until `open()` (none wait at first). */
class GatedChannel implements ChannelAdapter {
  readonly name = 'console';
  readonly sent: string[] = [];
  /** Sends that have started and wait for the gate. */
  waiting = 0;
  private gate: Promise<void> | undefined;
  private release: () => void = () => undefined;
  state(): ChannelState {
    return 'ready';
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  close(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }
  open(): void {
    this.release();
    this.gate = undefined;
  }
  async send(message: OutboundMessage): Promise<void> {
    this.waiting++;
    await this.gate;
    this.waiting--;
    this.sent.push(message.text);
  }
}

/** These dispatchers only send messages: a job reaching the queue is a failure of the test. */
const noJobs = new Proxy({} as JobQueue, {
  get: (_, name) => {
    throw new Error(`the job queue was used (${String(name)}) where only messages were written`);
  },
});

const logger = createLogger({ level: 'silent', production: true });

describeContract('outbox claims that run out while the item is on its way', (store) => {
  const dispatcherOn = (uow: UnitOfWork, clock: ManualClock, channel: GatedChannel) =>
    new Dispatcher({ uow, queue: noJobs, clock, logger, channels: new Map([['console', channel]]) });
  /** Stores a reply claimed by the process that wrote it (as a turn does), for `claimMs`. */
  const writeClaimed = async (clock: ManualClock, userId: string, text: string) => {
    const now = clock.now();
    return store.uow.run((r) =>
      r.conversations.addToOutbox(
        [{ kind: 'message', to: { channel: 'console', userId }, text }],
        now,
        new Date(now.getTime() + 60_000),
      ),
    );
  };

  it('regression: a sweep whose claim of an item comes back after the item was sent and marked does not send it again (the reply went out twice when the clock stepped ahead during a send)', async () => {
    const clock = new ManualClock('2026-12-03T09:00:00Z');
    // The claim's answer is held back until the test lets it through, as a busy process sees it:
    // the claim committed first, the sent item's mark right after, and the mark's answer came first.
    let holdClaims = false;
    let claimRead: () => void = () => undefined;
    const claimDone = new Promise<void>((resolve) => (claimRead = resolve));
    let letClaimThrough: () => void = () => undefined;
    const claimGate = new Promise<void>((resolve) => (letClaimThrough = resolve));
    const base = store.uows[0]!;
    const uow: UnitOfWork = {
      kind: base.kind,
      transaction: (fn) => base.transaction(fn),
      run: async (fn) => {
        const result = await base.run(fn);
        if (holdClaims && Array.isArray(result)) {
          // The claim's statement (renewing claims answers nothing).
          holdClaims = false;
          claimRead();
          await claimGate;
        }
        return result;
      },
    };
    const channel = new GatedChannel();
    const dispatcher = dispatcherOn(uow, clock, channel);
    channel.close();
    dispatcher.deliver(await writeClaimed(clock, 'anna', 'Uw afspraak begint over een uur.'));
    await expect.poll(() => channel.waiting).toBe(1);

    // The clock steps past the claim while the reply waits to be sent; a sweep claims it again.
    clock.advance(24 * 60 * 60_000);
    holdClaims = true;
    const sweeping = dispatcher.sweep();
    await claimDone;
    // Meanwhile the reply is sent and marked delivered.
    channel.open();
    await dispatcher.idle();
    expect(channel.sent).toEqual(['Uw afspraak begint over een uur.']);
    letClaimThrough();
    // The sweep first moved on the claim of what this process was sending, so it claimed nothing.
    expect(await sweeping).toBe(0);
    await dispatcher.idle();
    expect(channel.sent).toEqual(['Uw afspraak begint over een uur.']);
    const anna = { channel: 'console', userId: 'anna' };
    expect(await store.uow.run((r) => r.conversations.undeliveredTo(anna))).toEqual([]);
  });

  it('regression: an item that waits longer than its claim to be sent is not taken over by another process (it was sent by both)', async () => {
    const clock = new ManualClock('2026-12-03T10:00:00Z');
    const aChannel = new GatedChannel();
    const bChannel = new GatedChannel();
    const a = dispatcherOn(store.uows[0]!, clock, aChannel);
    const b = dispatcherOn(store.uows[1] ?? store.uow, clock, bChannel);
    aChannel.close();
    a.deliver(await writeClaimed(clock, 'bob', 'Wij hebben uw vraag doorgestuurd.'));
    await expect.poll(() => aChannel.waiting).toBe(1);

    // A's sweeps go on while the reply waits (a rate limit): half a claim on, A moves its claim on.
    clock.advance(20_000);
    expect(await a.sweep()).toBe(0);
    clock.advance(15_000);
    expect(await a.sweep()).toBe(0);
    // Past the first claim's end, B finds nothing to take over.
    clock.advance(40_000);
    expect(await b.sweep()).toBe(0);
    // And so on, for as long as A is sending it.
    for (let i = 0; i < 5; i++) {
      clock.advance(30_000);
      expect(await a.sweep()).toBe(0);
      clock.advance(1000);
      expect(await b.sweep()).toBe(0);
    }
    aChannel.open();
    await a.idle();
    expect(aChannel.sent).toEqual(['Wij hebben uw vraag doorgestuurd.']);
    expect(bChannel.sent).toEqual([]);

    // A claim that is not renewed (its holder died) is still taken over once it runs out.
    const c = dispatcherOn(store.uows[0]!, clock, new GatedChannel());
    const orphan = await writeClaimed(clock, 'carla', 'Uw afspraak is verzet.');
    expect(orphan).toHaveLength(1);
    clock.advance(61_000);
    expect(await b.sweep()).toBe(1);
    await b.idle();
    expect(bChannel.sent).toEqual(['Uw afspraak is verzet.']);
    await c.stop();
  });

  it('an item handed over again after this process delivered it is not sent again (a claim read before its mark committed, answered after)', async () => {
    const clock = new ManualClock('2026-12-03T11:00:00Z');
    const channel = new GatedChannel();
    const dispatcher = dispatcherOn(store.uows[0]!, clock, channel);
    const items = await writeClaimed(clock, 'dirk', 'Dank u wel voor uw vraag.');
    dispatcher.deliver(items);
    await dispatcher.idle();
    dispatcher.deliver(items);
    await dispatcher.idle();
    expect(channel.sent).toEqual(['Dank u wel voor uw vraag.']);
  });
});
