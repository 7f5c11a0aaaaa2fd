/**
 * The items that wait to be handled, among everything a long-running service keeps: the safety-net
 * sweep finds their conversations and /metrics counts them. Both must read only the waiting items
 * (the partial index `inbound_waiting`), never every message ever stored: at 300,000 messages the
 * two reads took 24 ms and 16 ms on SQLite, every SWEEP_SECONDS and every scrape, on the thread
 * that answers residents in embedded mode.
 */
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/storage/database.js';
import { WAITING_CONVERSATIONS } from '../../src/storage/repositories/conversation-repository.js';
import { PENDING_INBOUND } from '../../src/storage/repositories/operations-repository.js';
import { sql } from '../../src/storage/sql.js';
import { freshTarget, postgresAvailable } from '../support/services.js';
import { describeContract } from './storage-targets.js';

const T0 = Date.UTC(2026, 11, 4, 9, 0, 0);

/** Stores one inbound item as the engine leaves it: handled ('done') or still waiting ('pending'). */
async function addItem(
  db: Database,
  item: { key: string; n: number; status: 'pending' | 'done'; at: number },
): Promise<void> {
  await db.run((m) =>
    sql(
      m,
      db.kind,
      `INSERT INTO inbound (dedupe_key, conversation_key, kind, text, has_media, status, attempts, received_at)
       VALUES (?, ?, 'message', 'hallo', 0, ?, 0, ?)`,
      [`${item.key}:${item.n}`, item.key, item.status, item.at],
    ),
  );
}

const snapshotMoments = {
  now: new Date(T0),
  dueSoonUntil: new Date(T0 + 86_400_000),
  openStatuses: ['new', 'routed'] as const,
  bookingsFrom: new Date(T0),
  bookingsTo: new Date(T0 + 86_400_000),
};

describeContract(
  'waiting items',
  (store) => {
    it('the sweep finds each conversation with an item waiting since a moment once, and the backlog counts them', async () => {
      const db = store.databases[0]!;
      // Three conversations with handled history; two of them have items waiting.
      for (let n = 0; n < 40; n++)
        for (const key of ['console:a', 'console:b', 'console:c'])
          await addItem(db, { key, n, status: 'done', at: T0 - 100_000 + n });
      await addItem(db, { key: 'console:a', n: 100, status: 'pending', at: T0 - 5_000 });
      await addItem(db, { key: 'console:a', n: 101, status: 'pending', at: T0 - 4_000 });
      await addItem(db, { key: 'console:b', n: 100, status: 'pending', at: T0 - 1_000 });

      const waiting = (limit: number, upTo?: number) =>
        store.uow.run((r) =>
          r.conversations.conversationsWithPending(limit, upTo === undefined ? undefined : new Date(upTo)),
        );
      expect((await waiting(10)).sort()).toEqual(['console:a', 'console:b']);
      // Up to a moment: b's item came later; a counts once although two of its items wait.
      expect(await waiting(10, T0 - 2_000)).toEqual(['console:a']);
      expect(await waiting(10, T0 - 6_000)).toEqual([]);
      // The limit counts conversations, not items.
      expect(await waiting(1)).toHaveLength(1);

      const snapshot = await store.uow.run((r) => r.operations.snapshot(snapshotMoments));
      expect(snapshot.inboundPending).toBe(3);
    });
  },
  1,
);

describe('the waiting items on SQLite', () => {
  // Regression: SQLite walked the whole `inbound_pending` index for both reads.
  it('reads only the partial index of waiting items, without statistics', async () => {
    const fresh = await freshTarget('sqlite');
    const db = await Database.open(fresh.target);
    try {
      const plan = async (text: string, params: unknown[]) =>
        (await db.run((m) => m.query<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${text}`, params)))
          .map((p) => p.detail)
          .filter((d) => /\binbound\b/.test(d));
      expect(await plan(WAITING_CONVERSATIONS, [T0, 10])).toEqual([
        'SEARCH inbound USING INDEX inbound_waiting (received_at<?)',
      ]);
      expect(await plan(PENDING_INBOUND, [])).toEqual([
        'SEARCH inbound USING COVERING INDEX inbound_waiting (received_at>?)',
      ]);
    } finally {
      await db.close();
      await fresh.cleanup();
    }
  });
});

describe('the waiting items on PostgreSQL', () => {
  it.skipIf(!postgresAvailable)(
    'reads only the partial index of waiting items once the table is large and analysed',
    async () => {
      const fresh = await freshTarget('postgres');
      const db = await Database.open(fresh.target);
      try {
        // 20,000 handled messages of 2,000 conversations, 4 waiting, as autovacuum would analyse them.
        await db.run(async (m) => {
          await m.query(
            `INSERT INTO inbound (dedupe_key, conversation_key, kind, text, has_media, status, attempts, received_at)
             SELECT 'd' || i, 'console:u' || (i % 2000), 'message', 'hallo', 0,
               CASE WHEN i % 5000 = 0 THEN 'pending' ELSE 'done' END, 0, $1::bigint + i
             FROM generate_series(1, 20000) i`,
            [T0 - 100_000],
          );
          await m.query(`ANALYZE inbound`);
        });
        const plan = async (text: string, params: unknown[]) => {
          let n = 0;
          const numbered = text.replace(/\?/g, () => `$${++n}`);
          const rows = await db.run((m) =>
            m.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${numbered}`, params),
          );
          return rows.map((r) => r['QUERY PLAN']).join('\n');
        };
        for (const [text, params] of [
          [WAITING_CONVERSATIONS, [T0, 10]],
          [PENDING_INBOUND, []],
        ] as const) {
          const shown = await plan(text, [...params]);
          expect(shown).toMatch(/using inbound_waiting on inbound/);
          expect(shown).not.toMatch(/Seq Scan/);
        }
      } finally {
        await db.close();
        await fresh.cleanup();
      }
    },
  );
});
