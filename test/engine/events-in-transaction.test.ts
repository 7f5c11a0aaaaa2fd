import { describe, expect, it } from 'vitest';
import type { Repositories, UnitOfWork } from '../../src/ports/unit-of-work.js';
import type { Database } from '../../src/storage/database.js';
import { createUnitOfWork } from '../../src/storage/unit-of-work.js';
import { echoEngine } from '../support/echo-engine.js';
import { databaseKinds } from '../support/services.js';
import { freshDatabasePerTest } from '../support/fresh-database.js';

const databases = freshDatabasePerTest();

async function open(kind: 'sqlite' | 'postgres') {
  return (await databases.open(kind)).db;
}

/** A unit of work that counts the turns read (`readTurn`): one per item handled, plus empty passes. */
function countingTurnReads(db: Database): { uow: UnitOfWork; reads: () => number } {
  const base = createUnitOfWork(db);
  let reads = 0;
  const counting = (r: Repositories): Repositories => {
    const readTurn = r.conversations.readTurn.bind(r.conversations);
    r.conversations.readTurn = (key) => {
      reads++;
      return readTurn(key);
    };
    return r;
  };
  return {
    uow: {
      kind: base.kind,
      transaction: (fn) => base.transaction((r) => fn(counting(r))),
      run: (fn) => base.run((r) => fn(counting(r))),
    },
    reads: () => reads,
  };
}

const a1 = { channel: 'console', userId: 'a1' };
const notes = (items: { kind: string; text?: string }[]) =>
  items.flatMap((i) => (i.kind === 'message' && i.text?.includes(':note ') ? [i.text] : []));

describe.each(databaseKinds)("events stored in the caller's transaction on $kind", ({ kind, available }) => {
  it.skipIf(!available)(
    'commit with it: a rolled-back one never reaches the chat, a committed one is handled once at the hand-over',
    async () => {
      const db = await open(kind);
      const { engine, out } = echoEngine(db);
      const uow = createUnitOfWork(db);
      const failed = uow.transaction(async (r) => {
        await engine.storeEvent(r, a1, 'note', { text: 'rolled back' }, 'e-1');
        throw new Error('the change the event belongs to failed');
      });
      await expect(failed).rejects.toThrow('the change the event belongs to failed');
      await uow.transaction((r) => engine.storeEvent(r, a1, 'note', { text: 'kept' }, 'e-2'));
      // A retried job stores it again (a no-op) and hands it over again.
      await uow.transaction((r) => engine.storeEvent(r, a1, 'note', { text: 'kept' }, 'e-2'));
      await engine.handOver(a1);
      await engine.handOver(a1);
      expect(notes(out)).toEqual(['1:note kept']);
    },
  );

  it.skipIf(!available)(
    'a committed event whose hand-over never came (the job died) is handled by the next message, before it',
    async () => {
      const db = await open(kind);
      const { engine, out } = echoEngine(db);
      const send = (id: string, text: string) =>
        engine.receive({ channel: 'console', userId: 'a1', messageId: id, text });
      // The first message is the first contact (the echo flow says nothing to it).
      await send('m1', 'one');
      await createUnitOfWork(db).transaction((r) => engine.storeEvent(r, a1, 'note', { text: 'two' }, 'e-1'));
      await send('m2', 'three');
      const texts = out.flatMap((i) => (i.kind === 'message' && i.text ? [i.text] : []));
      expect(texts).toEqual(['1:note two', '2:three']);
    },
  );

  it.skipIf(!available)(
    'notices fired at once at one chat are each handled once, in order, by shared passes (regression: one empty pass per notice)',
    async () => {
      const db = await open(kind);
      const counted = countingTurnReads(db);
      const { engine, out } = echoEngine(db, counted.uow);
      const count = 40;
      await Promise.all(
        Array.from({ length: count }, (_, i) => engine.notify(a1, 'note', { text: `n${i}` }, `e-${i}`)),
      );
      const handled = notes(out);
      expect(handled.map((t) => Number(t.split(':')[0]))).toEqual(
        Array.from({ length: count }, (_, i) => i + 1),
      );
      const stored = await db.run((m) =>
        m.query<{ event: string }[]>(
          `SELECT event FROM inbound WHERE conversation_key = 'console:a1' ORDER BY id`,
        ),
      );
      const storedOrder = stored.map(
        (s) => (JSON.parse(s.event) as { payload: { text: string } }).payload.text,
      );
      expect(handled.map((t) => t.split(':note ')[1])).toEqual(storedOrder);
      // One read per notice and one empty pass at most now and then; one per notice more before.
      expect(counted.reads()).toBeLessThanOrEqual(count + 5);
    },
  );
});
