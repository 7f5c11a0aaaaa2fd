/**
 * Two processes' outbox dispatchers on one database that goes away for longer than a claim lasts
 * (60 s) while one of them is sending: the reply it sent but could not mark is marked once the
 * database is back, and the other process does not take it over and send it again.
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

/** A console channel that records what it sent; `onSend` runs after each send. */
class RecordingChannel implements ChannelAdapter {
  readonly name = 'console';
  readonly sent: string[] = [];
  onSend: () => void = () => undefined;
  state(): ChannelState {
    return 'ready';
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(message: OutboundMessage): Promise<void> {
    this.sent.push(message.text);
    this.onSend();
  }
}

/** The database as one process reaches it: every call fails while `network.down` holds. */
function reachable(uow: UnitOfWork, network: { down: boolean }): UnitOfWork {
  const check = () => {
    if (network.down) throw new Error('injected: connect ECONNREFUSED 127.0.0.1:5432');
  };
  return {
    kind: uow.kind,
    transaction: async (fn) => (check(), uow.transaction(fn)),
    run: async (fn) => (check(), uow.run(fn)),
  };
}

/** These dispatchers only send messages: a job reaching the queue is a failure of the test. */
const noJobs = new Proxy({} as JobQueue, {
  get: (_, name) => {
    throw new Error(`the job queue was used (${String(name)}) where only messages were written`);
  },
});

const logger = createLogger({ level: 'silent', production: true });

describeContract('outbox dispatch across a database outage', (store) => {
  it('regression: a reply sent just before an outage longer than its claim is not sent again by the other process (its sweep took the item over as soon as the database was back)', async () => {
    const clock = new ManualClock('2026-12-03T09:00:00Z');
    const process = (uow: UnitOfWork, network: { down: boolean }) => {
      const channel = new RecordingChannel();
      const dispatcher = new Dispatcher({
        uow: reachable(uow, network),
        queue: noJobs,
        clock,
        logger,
        channels: new Map([['console', channel]]),
      });
      return { channel, dispatcher };
    };
    // Each process reaches the database on its own: B is back a moment before A.
    const aNet = { down: false };
    const bNet = { down: false };
    const a = process(store.uows[0]!, aNet);
    const b = process(store.uows[1] ?? store.uow, bNet);
    const write = (userId: string, text: string) => {
      const now = clock.now();
      return store.uow.run((r) =>
        r.conversations.addToOutbox(
          [{ kind: 'message', to: { channel: 'console', userId }, text }],
          now,
          now,
        ),
      );
    };

    expect(await b.dispatcher.sweep()).toBe(0);
    await write('anna', 'Uw vraag is ontvangen.');
    // A takes the reply and sends it; the database goes away before A can mark it.
    a.channel.onSend = () => {
      aNet.down = true;
      bNet.down = true;
    };
    expect(await a.dispatcher.sweep()).toBe(1);
    await expect.poll(() => a.channel.sent).toEqual(['Uw vraag is ontvangen.']);

    // The outage outlasts A's claim (60 s). Both sweeps meet it.
    clock.advance(90_000);
    await expect(b.dispatcher.sweep()).rejects.toThrow(/ECONNREFUSED/);
    await expect(a.dispatcher.sweep()).rejects.toThrow(/ECONNREFUSED/);
    bNet.down = false;

    // B is back, A not yet: B does not take A's reply over, nor a later message to the same
    // resident (order per resident), but a new message to someone else goes at once.
    clock.advance(1000);
    await write('anna', 'Wij antwoorden binnen 5 werkdagen.');
    await write('bob', 'Welkom bij het spreekuur.');
    expect(await b.dispatcher.sweep()).toBe(1);
    await b.dispatcher.idle();
    expect(b.channel.sent).toEqual(['Welkom bij het spreekuur.']);

    // A is back and marks what it sent (its next try); then anna's next message leaves, once.
    aNet.down = false;
    await a.dispatcher.idle();
    clock.advance(1000);
    expect(await b.dispatcher.sweep()).toBe(1);
    await b.dispatcher.idle();
    expect(b.channel.sent).toEqual(['Welkom bij het spreekuur.', 'Wij antwoorden binnen 5 werkdagen.']);
    expect(a.channel.sent).toEqual(['Uw vraag is ontvangen.']);

    // After the grace, nothing is left to claim: the first reply was marked, not left for a sweep.
    clock.advance(20_000);
    expect(await b.dispatcher.sweep()).toBe(0);
    expect(await a.dispatcher.sweep()).toBe(0);
    const anna = { channel: 'console', userId: 'anna' };
    expect(await store.uow.run((r) => r.conversations.undeliveredTo(anna))).toEqual([]);
  });

  it('a dispatcher that stops while the database is away gives up marking, and stops', async () => {
    const clock = new ManualClock('2026-12-03T10:00:00Z');
    const network = { down: false };
    const channel = new RecordingChannel();
    const dispatcher = new Dispatcher({
      uow: reachable(store.uows[0]!, network),
      queue: noJobs,
      clock,
      logger,
      channels: new Map([['console', channel]]),
    });
    channel.onSend = () => {
      network.down = true;
    };
    const now = clock.now();
    await store.uow.run((r) =>
      r.conversations.addToOutbox(
        [{ kind: 'message', to: { channel: 'console', userId: 'carla' }, text: 'Tot ziens.' }],
        now,
        now,
      ),
    );
    expect(await dispatcher.sweep()).toBe(1);
    await expect.poll(() => channel.sent).toEqual(['Tot ziens.']);
    // Stops after at most one wait between tries (5 s), not after the database comes back.
    await dispatcher.stop();
    network.down = false;
    const carla = { channel: 'console', userId: 'carla' };
    expect(await store.uow.run((r) => r.conversations.undeliveredTo(carla))).toHaveLength(1);
  });
});
