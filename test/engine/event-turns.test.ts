import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { FlowSet } from '../../src/engine/flow.js';
import type { StoredOutboxItem } from '../../src/ports/conversation-repository.js';
import type { Repositories } from '../../src/ports/unit-of-work.js';
import { loadMunicipality } from '../../src/municipality/municipality.js';
import { systemClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { pseudonymizer } from '../../src/shared/pseudonym.js';
import type { Database } from '../../src/storage/database.js';
import { createUnitOfWork } from '../../src/storage/unit-of-work.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';
import { echoFlows } from '../support/echo-engine.js';
import { freshDatabasePerTest } from '../support/fresh-database.js';
import { databaseKinds } from '../support/services.js';

/**
 * A busy alderman's chat gets many notices at once; the engine takes the events waiting behind a
 * turn's event into that turn (one read, one write). These tests hold it to what a turn per event
 * did: each event on the state the one before left, in order, a person's message alone in its place,
 * and a failing event's tries counted for that event only.
 */

interface Types {
  services: { lookup: (repos: Repositories, args: { text: string }) => Promise<string> };
  data: { n?: number };
  events: { note: { text: string }; ask: { text: string }; boom: { text: string } };
  jobs: Record<never, never>;
}

/** The echo flows, with an event whose step calls a service and one whose step throws. */
const flows: FlowSet<Types> = {
  ...(echoFlows as unknown as FlowSet<Types>),
  events: {
    note: (ctx, payload) => {
      const n = (ctx.data.n ?? 0) + 1;
      return { data: { n }, say: [`${n}:note ${payload.text}`] };
    },
    ask: (_ctx, payload) => ({
      call: {
        service: 'lookup',
        args: { text: payload.text },
        then: (ctx, result) => {
          const n = (ctx.data.n ?? 0) + 1;
          return { data: { n }, say: [`${n}:asked ${result.ok ? String(result.value) : 'nothing'}`] };
        },
      },
    }),
    boom: () => {
      throw new Error('injected: this event cannot be handled');
    },
  },
};

const databases = freshDatabasePerTest();
const a1 = { channel: 'console', userId: 'a1' };
const key = 'console:a1';

function engineOn(db: Database) {
  const out: StoredOutboxItem[] = [];
  const engine = new Engine<Types, Repositories>({
    uow: createUnitOfWork(db),
    conversations: () => Promise.resolve({ flows, vocabulary: loadVocabulary('data/vocabulary') }),
    texts: { nl: { 'core.error': 'Sorry' }, en: { 'core.error': 'Sorry' } },
    municipality: loadMunicipality('data'),
    clock: systemClock,
    services: { lookup: (_repos: Repositories, args: { text: string }) => Promise.resolve(`${args.text}!`) },
    sink: { deliver: (items) => out.push(...items), sendsDirectly: () => true },
    logger: createLogger({ level: 'silent', production: true }),
    pseudonym: pseudonymizer('event-turns-test-key-of-32-characters!!'),
    idleMs: 3_600_000,
  });
  const texts = () => out.flatMap((i) => (i.kind === 'message' && i.text ? [i.text] : []));
  return { engine, out, texts };
}

/** Stores the events (and messages) in one transaction, without handing them over; returns their ids. */
async function storeWaiting(
  db: Database,
  engine: Engine<Types, Repositories>,
  items: ({ event: keyof Types['events']; text: string } | { message: string })[],
): Promise<number[]> {
  const uow = createUnitOfWork(db);
  await uow.transaction(async (r) => {
    for (const [n, item] of items.entries()) {
      if ('event' in item) await engine.storeEvent(r, a1, item.event, { text: item.text }, `e-${n}`);
      else {
        const message = { dedupeKey: `console:m-${n}`, address: a1, kind: 'message' as const };
        await r.conversations.storeInbound({ ...message, text: item.message, now: new Date() });
      }
    }
  });
  const pending = await uow.run((r) => r.conversations.pendingAfter(key, 0, 100));
  return pending.items.map((i) => i.id);
}

async function versionOf(db: Database): Promise<number> {
  const rows = await db.run((m) =>
    m.query<{ version: number }[]>(`SELECT version FROM conversations WHERE key = 'console:a1'`),
  );
  return Number(rows[0]?.version);
}

async function inbound(db: Database): Promise<{ id: number; status: string; attempts: number }[]> {
  const rows = await db.run((m) =>
    m.query<{ id: number; status: string; attempts: number }[]>(
      `SELECT id, status, attempts FROM inbound WHERE conversation_key = 'console:a1' ORDER BY id`,
    ),
  );
  return rows.map((r) => ({ id: Number(r.id), status: r.status, attempts: Number(r.attempts) }));
}

describe.each(databaseKinds)('waiting events of one chat on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'are taken in one turn, each on the state the one before left, in order, each reply caused by its own event',
    async () => {
      const { db } = await databases.open(kind);
      const { engine, out, texts } = engineOn(db);
      const ids = await storeWaiting(db, engine, [
        { event: 'note', text: 'a' },
        { event: 'note', text: 'b' },
        { event: 'note', text: 'c' },
        { event: 'note', text: 'd' },
      ]);
      const before = await versionOf(db);
      await engine.handOver(a1);
      expect(texts()).toEqual(['1:note a', '2:note b', '3:note c', '4:note d']);
      expect(out.map((i) => i.causeId)).toEqual(ids);
      // One turn saved (a turn per event moved the version on four times).
      expect(await versionOf(db)).toBe(before + 1);
      expect((await inbound(db)).map((i) => i.status)).toEqual(['done', 'done', 'done', 'done']);
    },
  );

  it.skipIf(!available)(
    "stop before a person's message, which is handled alone in its place, and before an event that calls a service",
    async () => {
      const { db } = await databases.open(kind);
      const { engine, texts } = engineOn(db);
      // The first message is the first contact (the echo flow says nothing to it).
      await engine.receive({ channel: 'console', userId: 'a1', messageId: 'm0', text: 'hallo' });
      await storeWaiting(db, engine, [
        { event: 'note', text: 'a' },
        { event: 'note', text: 'b' },
        { message: 'tussendoor' },
        { event: 'note', text: 'c' },
        { event: 'ask', text: 'vraag' },
        { event: 'note', text: 'd' },
      ]);
      const before = await versionOf(db);
      await engine.handOver(a1);
      expect(texts()).toEqual([
        '1:note a',
        '2:note b',
        '3:tussendoor',
        '4:note c',
        '5:asked vraag!',
        '6:note d',
      ]);
      // Turns: a+b, the message, c, the service call (alone, under the lock), d.
      expect(await versionOf(db)).toBe(before + 5);
    },
  );

  it.skipIf(!available)(
    'an event whose step throws is set aside alone after its tries; the events around it are handled once, untried',
    async () => {
      const { db } = await databases.open(kind);
      const { engine, texts } = engineOn(db);
      const ids = await storeWaiting(db, engine, [
        { event: 'note', text: 'a' },
        { event: 'boom', text: 'b' },
        { event: 'note', text: 'c' },
      ]);
      await engine.handOver(a1);
      expect(texts()).toEqual(['1:note a', '2:note c']);
      expect(await inbound(db)).toEqual([
        { id: ids[0], status: 'done', attempts: 0 },
        { id: ids[1], status: 'failed', attempts: 3 },
        { id: ids[2], status: 'done', attempts: 0 },
      ]);
      const letters = await createUnitOfWork(db).run((r) => r.deadLetters.list({ limit: 10 }));
      expect(letters.map((l) => l.inboundId)).toEqual([ids[1]]);
    },
  );

  it.skipIf(!available)(
    "a write of several events that fails saves the first alone: the failing event's tries are its own",
    async () => {
      const { db } = await databases.open(kind);
      const { engine, texts } = engineOn(db);
      // An injected storage fault: the outbox refuses any row that mentions "kapot".
      await db.run(async (m) => {
        if (kind === 'sqlite') {
          await m.query(`CREATE TRIGGER refuse_kapot BEFORE INSERT ON outbox WHEN NEW.body LIKE '%kapot%'
            BEGIN SELECT RAISE(ABORT, 'injected: the outbox refused this row'); END`);
          return;
        }
        await m.query(`CREATE FUNCTION refuse_kapot() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.body LIKE '%kapot%' THEN RAISE EXCEPTION 'injected: the outbox refused this row';
          END IF; RETURN NEW; END $$`);
        await m.query(`CREATE TRIGGER refuse_kapot BEFORE INSERT ON outbox
          FOR EACH ROW EXECUTE FUNCTION refuse_kapot()`);
      });
      const ids = await storeWaiting(db, engine, [
        { event: 'note', text: 'a' },
        { event: 'note', text: 'kapot' },
        { event: 'note', text: 'c' },
      ]);
      await engine.handOver(a1);

      expect(texts()).toEqual(['1:note a', '2:note c']);
      expect(await inbound(db)).toEqual([
        { id: ids[0], status: 'done', attempts: 0 },
        { id: ids[1], status: 'failed', attempts: 3 },
        { id: ids[2], status: 'done', attempts: 0 },
      ]);
    },
  );
});
