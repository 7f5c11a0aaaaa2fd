import { describe, expect, it } from 'vitest';
import type { EntityManager } from 'typeorm';
import { MAX_PREPARED_STATEMENTS, prepared } from '../../src/storage/sql.js';
import { SqlConversationRepository } from '../../src/storage/repositories/conversation-repository.js';
import { postgresAvailable } from '../support/services.js';
import { freshDatabasePerTest } from '../support/fresh-database.js';
import type { Database } from '../../src/storage/database.js';

describe('prepared statements (sql.ts)', () => {
  it('names a text once it comes back, always with the same name, numbered for PostgreSQL', () => {
    const text = `SELECT ? AS a, ? AS b -- ${Math.random()}`;
    expect(prepared(text).name).toBeUndefined();
    expect(prepared(text).name).toBeUndefined();
    const third = prepared(text);
    expect(third.name).toMatch(/^s[0-9a-f]{20}$/);
    expect(third.text).toMatch(/^SELECT \$1 AS a, \$2 AS b/);
    expect(prepared(text)).toEqual(third);
    const other = `SELECT ? AS c -- ${Math.random()}`;
    for (let i = 0; i < 3; i++) prepared(other);
    expect(prepared(other).name).not.toBe(third.name);
  });

  it('never names a statement whose columns a migration could change under it (a `*` column list)', () => {
    for (const star of [
      `SELECT * FROM cases WHERE id = ? -- ${Math.random()}`,
      `SELECT c.id, i.* FROM cases c JOIN inbound i ON true WHERE c.id = ? -- ${Math.random()}`,
      `UPDATE cases SET status = ? RETURNING * -- ${Math.random()}`,
    ]) {
      for (let i = 0; i < 5; i++) expect(prepared(star).name).toBeUndefined();
      expect(prepared(star).text).toContain('$1');
    }
    const counted = `SELECT count(*) AS n FROM cases WHERE id = ? /* ${Math.random()} */`;
    for (let i = 0; i < 3; i++) prepared(counted);
    expect(prepared(counted).name).toBeDefined();
  });

  it(`stops naming new texts after ${MAX_PREPARED_STATEMENTS}, so no connection keeps statements without end`, () => {
    const names = new Set<string>();
    for (let n = 0; n < MAX_PREPARED_STATEMENTS + 50; n++) {
      const text = `SELECT ? -- bound ${n} ${Math.random()}`;
      for (let i = 0; i < 3; i++) {
        const name = prepared(text).name;
        if (name) names.add(name);
      }
    }
    expect(names.size).toBeGreaterThan(0);
    expect(names.size).toBeLessThanOrEqual(MAX_PREPARED_STATEMENTS);
    // Texts named before stay named.
    const early = `SELECT ? AS late -- ${Math.random()}`;
    for (let i = 0; i < 3; i++) expect(prepared(early).name).toBeUndefined();
  });
});

interface Recorded {
  text: string;
  params: unknown[];
}

/** Records every statement run through the transaction's query runner. */
function recording(manager: EntityManager, into: Recorded[]): void {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('no query runner');
  const original = runner.query.bind(runner);
  runner.query = ((query: string | { text: string }, params?: unknown[], structured?: boolean) => {
    const text = typeof query === 'string' ? query : query.text;
    into.push({ text, params: params ?? [] });
    return original(query as string, params, structured as true);
  }) as typeof runner.query;
}

/** Every plan node's type, relation and index condition in EXPLAIN (FORMAT JSON) output. */
function nodesOf(plan: unknown): { type: string; relation?: string; index?: string; indexCond?: string }[] {
  const out: { type: string; relation?: string; index?: string; indexCond?: string }[] = [];
  const walk = (node: Record<string, unknown>) => {
    out.push({
      type: String(node['Node Type']),
      ...(typeof node['Relation Name'] === 'string' ? { relation: node['Relation Name'] } : {}),
      ...(typeof node['Index Name'] === 'string' ? { index: node['Index Name'] } : {}),
      ...(typeof node['Index Cond'] === 'string' ? { indexCond: node['Index Cond'] } : {}),
    });
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk(plan as Record<string, unknown>);
  return out;
}

describe('the engine turn on PostgreSQL under a generic plan', () => {
  const databases = freshDatabasePerTest();

  // PostgreSQL switches a named statement to a generic plan after five runs and keeps it; a plan
  // made on tables that were still empty must not scan them whole once they have grown.
  it.skipIf(!postgresAvailable)(
    'stores, reads and finishes a turn with index look-ups only, planned on empty tables',
    async () => {
      const { db } = await databases.open('postgres');
      const statements = await turnStatements(db, 1);
      expect(statements.map((s) => s.text.split(/\s+/).slice(0, 3).join(' '))).toEqual([
        'WITH i AS',
        'SELECT c.key, c.channel,',
        'WITH c AS',
      ]);
      for (const [n, plan] of (await genericPlans(db, statements, databases.later)).entries()) {
        const scans = nodesOf(plan).filter((node) => node.relation && /Seq Scan/.test(node.type));
        expect({ statement: n, scans }).toEqual({ statement: n, scans: [] });
      }
    },
  );

  it.skipIf(!postgresAvailable)(
    'finishes a turn that took in several waiting events with index look-ups only, planned on empty tables',
    async () => {
      const { db } = await databases.open('postgres');
      const recorded: Recorded[] = [];
      let statements: Recorded[] = [];
      await db.dataSource
        .transaction(async (manager) => {
          const repo = new SqlConversationRepository(manager, 'postgres');
          const address = { channel: 'telegram', userId: '42' };
          const now = new Date('2026-12-01T09:00:00Z');
          const ids: number[] = [];
          for (const n of [1, 2, 3]) {
            const event = { name: 'note', payload: { n } };
            const stored = { dedupeKey: `e${n}`, address, kind: 'event' as const, text: '', event, now };
            ids.push((await repo.storeInbound(stored)) ?? 0);
          }
          const turn = await repo.readTurn('telegram:42');
          recording(manager, recorded);
          const saved = await repo.finishTurn({
            key: 'telegram:42',
            version: turn?.version ?? 0,
            state: { step: 'x' },
            flags: {},
            inboundId: ids[0] ?? 0,
            alsoHandled: ids.slice(1),
            now,
            items: ids.map((id) => ({ kind: 'message' as const, to: address, text: `n${id}`, causeId: id })),
            claimUntil: new Date(now.getTime() + 60_000),
            direct: new Map([['telegram:42', []]]),
          });
          expect(saved).toHaveLength(3);
          statements = [...recorded];
          // Back to empty, as on a fresh database: the plans are made without any rows.
          throw new Rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
      expect(statements.map((s) => s.text.split(/\s+/).slice(0, 3).join(' '))).toEqual(['WITH c AS']);
      for (const [n, plan] of (await genericPlans(db, statements, databases.later)).entries()) {
        const scans = nodesOf(plan).filter((node) => node.relation && /Seq Scan/.test(node.type));
        const whole = nodesOf(plan).filter((node) => /Index/.test(node.type) && !node.indexCond);
        expect({ statement: n, scans, whole }).toEqual({ statement: n, scans: [], whole: [] });
      }
    },
  );

  // A turn with several replies checked "no other undelivered message to this person" as a hashed
  // subplan: it read every undelivered message in the outbox, everyone's, at every turn, so a turn
  // cost more the more replies waited anywhere (a backlog of 10,000 made each turn several ms).
  it.skipIf(!postgresAvailable)(
    'finishes a turn with several replies by looking up only its own person, not the whole outbox',
    async () => {
      const { db } = await databases.open('postgres');
      const statements = await turnStatements(db, 3);
      for (const [n, plan] of (await genericPlans(db, statements, databases.later)).entries()) {
        const whole = nodesOf(plan).filter((node) => /Index/.test(node.type) && !node.indexCond);
        expect({ statement: n, whole }).toEqual({ statement: n, whole: [] });
      }
    },
  );
});

describe('marking outbox items on PostgreSQL', () => {
  const databases = freshDatabasePerTest();

  // Each batch size was a statement text of its own (an IN list): parsed and planned anew, and each
  // size took one of the process's prepared-statement names (MAX_PREPARED_STATEMENTS) for good.
  it.skipIf(!postgresAvailable)('marks batches of any size delivered with one statement text', async () => {
    const { db } = await databases.open('postgres');
    const recorded: Recorded[] = [];
    const now = new Date('2026-12-01T09:00:00Z');
    const sent = await db.dataSource.transaction(async (manager) => {
      recording(manager, recorded);
      const repo = new SqlConversationRepository(manager, 'postgres');
      const to = { channel: 'telegram', userId: '42' };
      const items = Array.from({ length: 15 }, (_, n) => ({ kind: 'message' as const, to, text: `m${n}` }));
      const ids = (await repo.addToOutbox(items, now, new Date(now.getTime() + 60_000))).map((i) => i.id);
      for (const [from, to] of [
        [0, 1],
        [1, 3],
        [3, 7],
        [7, 15],
      ] as const) {
        await repo.renewOutboxClaims(ids.slice(from, to), new Date(now.getTime() + 120_000));
        await repo.markDelivered(ids.slice(from, to), now);
      }
      return repo.undeliveredTo(to);
    });
    expect(sent).toEqual([]);
    const texts = (start: string) =>
      new Set(recorded.filter((r) => r.text.startsWith(start)).map((r) => r.text));
    expect(texts("UPDATE outbox SET status = 'sent'").size).toBe(1);
    expect(texts('UPDATE outbox SET claimed_until').size).toBe(1);
  });
});

/**
 * The statements of one turn (store, read, finish with `replies` messages to the person), recorded
 * and then rolled back, so that the plans made from them are made on empty tables.
 */
async function turnStatements(db: Database, replies: number): Promise<Recorded[]> {
  const recorded: Recorded[] = [];
  let statements: Recorded[] = [];
  await db.dataSource
    .transaction(async (manager) => {
      recording(manager, recorded);
      const repo = new SqlConversationRepository(manager, 'postgres');
      const address = { channel: 'telegram', userId: '42' };
      const now = new Date('2026-12-01T09:00:00Z');
      const id = await repo.storeInbound({ dedupeKey: 'k1', address, kind: 'message', text: 'hoi', now });
      const turn = await repo.readTurn('telegram:42');
      expect(turn?.item.id).toBe(id);
      const saved = await repo.finishTurn({
        key: 'telegram:42',
        version: turn?.version ?? 0,
        state: { step: 'x' },
        flags: {},
        inboundId: id ?? 0,
        now,
        items: Array.from({ length: replies }, (_, n) => ({
          kind: 'message' as const,
          to: address,
          text: `hallo ${n}`,
        })),
        claimUntil: new Date(now.getTime() + 60_000),
        direct: new Map([['telegram:42', []]]),
      });
      expect(saved).toHaveLength(replies);
      statements = [...recorded];
      // Back to empty, as on a fresh database: the plans are made without any rows.
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return statements;
}

/** The generic plan of each statement, as PostgreSQL keeps it for a named statement. */
async function genericPlans(
  db: Database,
  statements: Recorded[],
  later: (cleanup: () => Promise<void>) => void,
): Promise<unknown[]> {
  const runner = db.dataSource.createQueryRunner();
  later(() => runner.release());
  await runner.query('SET plan_cache_mode = force_generic_plan');
  const plans: unknown[] = [];
  for (const [n, statement] of statements.entries()) {
    await runner.query(`PREPARE turn_${n} AS ${statement.text}`);
    // EXPLAIN takes no bind parameters: the values go in as literals of unknown type.
    const args = statement.params.map(literal).join(', ');
    const rows = (await runner.query(`EXPLAIN (FORMAT JSON) EXECUTE turn_${n}(${args})`)) as {
      'QUERY PLAN': { Plan: unknown }[];
    }[];
    plans.push(rows[0]?.['QUERY PLAN'][0]?.Plan);
  }
  return plans;
}

class Rollback extends Error {}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);
  return `'${text.replace(/'/g, "''")}'`;
}
