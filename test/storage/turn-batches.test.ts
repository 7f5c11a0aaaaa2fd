/**
 * PostgreSQL's batched turn writes (src/storage/repositories/turn-batches.ts): the turns of several
 * conversations stored, read and saved in one statement each (group commit). They must do exactly
 * what the single statements do for each conversation in them. Each check plays the same turns on two
 * fresh databases, one call at a time on the one and as one batch on the other, and compares every
 * answer and every row the two wrote; then the plans at a realistic size, and the path through the
 * repository with concurrent calls (batches formed, a refused value failing alone).
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from 'typeorm';
import type { TurnEnd, TurnStart } from '../../src/ports/conversation-repository.js';
import type { Database } from '../../src/storage/database.js';
import type { DatabaseTarget } from '../../src/storage/database-url.js';
import { finishTurns, storeAndReadTurns } from '../../src/storage/repositories/turn-batches.js';
import { SqlConversationRepository } from '../../src/storage/repositories/conversation-repository.js';
import { createUnitOfWork } from '../../src/storage/unit-of-work.js';
import { sql } from '../../src/storage/sql.js';
import { poolOf, type PgClient } from '../../src/storage/pg-transaction.js';
import { freshDatabasePerTest } from '../support/fresh-database.js';
import { postgresAvailable } from '../support/services.js';

const T0 = Date.UTC(2026, 11, 4, 9, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000);

type StoreItem = Parameters<SqlConversationRepository['storeInbound']>[0];

const message = (user: string, id: string, text: string, extra: Partial<StoreItem> = {}): StoreItem => ({
  dedupeKey: `console:${id}`,
  address: { channel: 'console', userId: user },
  kind: 'message',
  text,
  hasMedia: false,
  now: at(10),
  ...extra,
});

/** What both databases hold before the batch: history that the turns must read right. */
async function seed(db: Database): Promise<void> {
  await db.transaction(async (m) => {
    const repo = new SqlConversationRepository(m, 'postgres');
    // Anna's earlier message waits (her new one must not start the turn); a reply to her waits too.
    await repo.storeInbound(message('anna', 'a1', 'hallo', { now: at(1) }));
    await repo.addToOutbox(
      [{ kind: 'message', to: { channel: 'console', userId: 'anna' }, text: 'Hoi' }],
      at(2),
      at(3),
    );
    // Bas has talked before; everything of his was handled.
    await repo.storeInbound(message('bas', 'b1', 'hoi', { now: at(1) }));
    await sql(m, 'postgres', `UPDATE inbound SET status = 'done' WHERE dedupe_key = 'console:b1'`);
    // Wethouder Jansen's own chat.
    await sql(
      m,
      'postgres',
      `INSERT INTO staff_identities (channel, user_id, alderman_id, linked_at) VALUES ('console', 'jansen', 'jansen', 0)`,
    );
  });
}

/** Everything a turn's statements write, in a form that compares. */
async function rows(db: Database): Promise<unknown> {
  return db.run(async (m) => ({
    conversations: (
      await sql(
        m,
        'postgres',
        `SELECT key, channel, user_id, state, needs_human, version FROM conversations ORDER BY key`,
      )
    ).rows,
    inbound: (
      await sql(
        m,
        'postgres',
        `SELECT id, dedupe_key, conversation_key, kind, text, choice_id, has_media, first_name, event, status,
           attempts, received_at, handled_at, search_text FROM inbound ORDER BY id`,
      )
    ).rows,
    outbox: (
      await sql(
        m,
        'postgres',
        `SELECT id, kind, channel, user_id, body, cause_id, status, claimed_until, created_at FROM outbox ORDER BY id`,
      )
    ).rows,
  }));
}

/** The calls one at a time, in a transaction (where the repository never batches). */
function oneByOne(db: Database) {
  const each =
    <C, R>(call: (repo: SqlConversationRepository, c: C) => Promise<R>) =>
    (calls: C[]) =>
      db.transaction(async (m) => {
        const repo = new SqlConversationRepository(m, 'postgres');
        const out: R[] = [];
        for (const c of calls) out.push(await call(repo, c));
        return out;
      });
  return {
    store: each((repo, item: StoreItem) => repo.storeAndReadTurn(item)),
    finish: each((repo, turn: TurnEnd) => repo.finishTurn(turn)),
  };
}

function batched(db: Database) {
  return {
    store: (items: StoreItem[]) => db.run((m: EntityManager) => storeAndReadTurns(m, items)),
    finish: (turns: TurnEnd[]) => db.run((m: EntityManager) => finishTurns(m, turns)),
  };
}

/** The turns of the batch's second write, from the turns its first read (the same on both databases). */
function turnsFrom(read: { id: number | null; turn: TurnStart | null }[]): TurnEnd[] {
  const [anna, bas, cor, jansen] = read.map((r) => r.turn);
  if (!anna || !bas || !cor || !jansen) throw new Error('a turn did not come back');
  const to = (turn: TurnStart) => ({ channel: turn.conversation.channel, userId: turn.conversation.userId });
  const end = (turn: TurnStart, extra: Partial<TurnEnd>): TurnEnd => ({
    key: turn.conversation.key,
    version: turn.version,
    state: { step: 'next', at: turn.item.id },
    flags: {},
    inboundId: turn.item.id,
    now: at(20),
    items: [],
    claimUntil: at(80),
    direct: new Map(),
    ...extra,
  });
  return [
    // Anna: her earlier message, both of hers taken in; a reply she is sent directly (the waiting
    // reply is known), and a timer job.
    end(anna, {
      alsoHandled: [read[0]!.id!],
      flags: { needsHuman: true },
      items: [
        {
          kind: 'message',
          to: to(anna),
          text: 'Uw wijk is Oud Rijswijk.',
          choices: [{ id: 'ja', label: 'Ja' }],
          causeId: anna.item.id,
        },
        { kind: 'job', name: 'remind', data: { n: 1 }, jobId: 'j1', runAt: at(600), causeId: anna.item.id },
      ],
      direct: new Map([[anna.conversation.key, anna.undelivered]]),
    }),
    // Bas: read at a version that is no longer his (another process saved a turn): not saved.
    end(bas, {
      version: bas.version - 1,
      items: [{ kind: 'message', to: to(bas), text: 'x', causeId: bas.item.id }],
    }),
    // Cor: sent directly, but a message to him waits that this turn does not know of: left to the sweep.
    end(cor, {
      items: [{ kind: 'message', to: to(cor), text: 'Welkom', causeId: cor.item.id }],
      direct: new Map([[cor.conversation.key, []]]),
    }),
    // The alderman's turn writes nothing out.
    end(jansen, { flags: { needsHuman: false } }),
  ];
}

/** A turn that saves a new state and sends one reply to its own person, directly. */
function endOf(turn: TurnStart, reply: string): TurnEnd {
  const to = { channel: turn.conversation.channel, userId: turn.conversation.userId };
  return {
    key: turn.conversation.key,
    version: turn.version,
    state: { replied: reply },
    flags: {},
    inboundId: turn.item.id,
    now: at(20),
    items: [{ kind: 'message', to, text: reply, causeId: turn.item.id }],
    claimUntil: at(80),
    direct: new Map([[turn.conversation.key, turn.undelivered]]),
  };
}

/** A connection of its own to the target's schema (another process's, in the race tests). */
async function rawClient(target: DatabaseTarget): Promise<pg.Client> {
  if (target.kind !== 'postgres') throw new Error('a PostgreSQL target');
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  if (target.schema) await client.query(`SET search_path TO ${client.escapeIdentifier(target.schema)}`);
  return client;
}

/** Waits until some statement waits for a lock that the backend `pid` holds (no timing: it asks the server). */
async function waitUntilBlockedBy(client: pg.Client, pid: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))`,
      [pid],
    );
    if ((rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no statement came to wait for the lock');
}

/** The calls made one by one in the order of their keys; the answers in the calls' own order. */
async function inKeyOrder<C, R>(
  calls: C[],
  key: (call: C) => string,
  run: (calls: C[]) => Promise<R[]>,
): Promise<R[]> {
  const sorted = [...calls].sort((a, b) => key(a).localeCompare(key(b)));
  const answers = await run(sorted);
  return calls.map((call) => answers[sorted.indexOf(call)] as R);
}

/** A fixed order other than the given one and other than the keys' (last first, then the rest). */
function shuffled<T>(list: readonly T[]): T[] {
  return [...list.slice(2), ...list.slice(0, 2)].reverse();
}

describe.skipIf(!postgresAvailable)('batched turn writes on PostgreSQL', () => {
  const fresh = freshDatabasePerTest();

  it('store, read and save several conversations exactly as the single statements do, one by one', async () => {
    const one = (await fresh.open('postgres')).db;
    const many = (await fresh.open('postgres')).db;
    for (const db of [one, many]) await seed(db);
    const items = [
      message('anna', 'a2', 'wie is mijn wijkwethouder?'),
      message('bas', 'b2', '2288 GD', { firstName: 'Bas' }),
      message('cor', 'c1', 'hello', { initialState: { language: 'en' }, choiceId: 'start' }),
      message('jansen', 'j1', 'beantwoord 12'),
      // A repeat of a message stored before: no id, no turn.
      message('dirk', 'b1', 'hoi'),
    ];
    // A batch writes in the order of the conversations' keys (so that two processes' batches lock
    // rows in one order): it must equal the calls made one by one in that order, each answer in its place.
    const read = await inKeyOrder(items, (item) => item.address.userId, oneByOne(one).store);
    expect(await batched(many).store(shuffled(items))).toEqual(shuffled(read));
    expect(read.map((r) => r.id === null)).toEqual([false, false, false, false, true]);
    // Anna's turn starts at her earlier message, with more behind it and her waiting reply.
    expect(read[0]?.turn?.item.text).toBe('hallo');
    expect(read[0]?.turn?.more).toBe(true);
    expect(read[0]?.turn?.undelivered).toHaveLength(1);
    expect(read[2]?.turn?.conversation.state).toEqual({ language: 'en' });
    expect(read[3]?.turn?.aldermanId).toBe('jansen');
    expect(await rows(many)).toEqual(await rows(one));

    // A message to Cor that waits and that his turn does not know of.
    for (const db of [one, many])
      await db.transaction((m) =>
        new SqlConversationRepository(m, 'postgres').addToOutbox(
          [{ kind: 'message', to: { channel: 'console', userId: 'cor' }, text: 'Eerder' }],
          at(15),
          at(15),
        ),
      );
    const turns = turnsFrom(read.slice(0, 4));
    const saved = await inKeyOrder(turns, (turn) => turn.key, oneByOne(one).finish);
    expect(await batched(many).finish(shuffled(turns))).toEqual(shuffled(saved));
    // Anna's reply and job are this process's to send; Bas's turn was not saved; Cor's reply waits
    // for the sweep (not returned); the alderman's turn was saved with nothing to send.
    expect(saved.map((s) => s?.map((item) => item.kind) ?? null)).toEqual([['message', 'job'], null, [], []]);
    expect(await rows(many)).toEqual(await rows(one));
  });

  it('counts a turn whose item left pending while its statement ran as not saved, and writes no outbox for it, as alone', async () => {
    const answers: unknown[] = [];
    const tables: unknown[] = [];
    for (const mode of ['one', 'many'] as const) {
      const { db, target } = await fresh.open('postgres');
      await seed(db);
      const read = await oneByOne(db).store([message('anna', 'a2', 'ja'), message('bas', 'b2', 'nee')]);
      const ends = [
        endOf(read[0]!.turn!, 'Uw wijk is Oud Rijswijk.'),
        endOf(read[1]!.turn!, 'Welkom terug.'),
      ];
      // Another process gives up on Anna's item: not yet committed when the statement starts.
      const other = await rawClient(target);
      await other.query(`BEGIN`);
      await other.query(`UPDATE inbound SET status = 'failed' WHERE id = $1`, [ends[0]!.inboundId]);
      const pid = (await other.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!.pid;
      const finishing = mode === 'one' ? oneByOne(db).finish(ends) : batched(db).finish(ends);
      // The statement waits for that row; then the other process commits.
      await waitUntilBlockedBy(other, pid);
      await other.query(`COMMIT`);
      await other.end();
      answers.push(
        (await finishing).map((saved) => (saved === null ? null : saved.map((item) => item.kind))),
      );
      tables.push(await rows(db));
    }
    expect(answers[0]).toEqual([null, ['message']]);
    expect(answers[1]).toEqual(answers[0]);
    expect(tables[1]).toEqual(tables[0]);
  });

  it('plans every look-up as an index look-up on tables of a realistic size', async () => {
    const { db } = await fresh.open('postgres');
    await db.run((m) =>
      sql(
        m,
        'postgres',
        `WITH c AS (INSERT INTO conversations (key, channel, user_id, state, needs_human, created_at, updated_at)
           SELECT 'console:u' || g, 'console', 'u' || g, '{}', 0, 0, 0 FROM generate_series(1, 20000) g RETURNING key)
         INSERT INTO inbound (dedupe_key, conversation_key, kind, text, has_media, status, attempts, received_at)
           SELECT 'console:m' || g || '-' || n, 'console:u' || g, 'message', 'hallo', 0, 'done', 0, 0
           FROM generate_series(1, 20000) g, generate_series(1, 3) n`,
      ),
    );
    await db.run((m) =>
      sql(
        m,
        'postgres',
        `INSERT INTO outbox (kind, channel, user_id, body, status, attempts, claimed_until, created_at)
         SELECT 'message', 'console', 'u' || g, '{}', 'delivered', 0, 0, 0 FROM generate_series(1, 40000) g`,
      ),
    );
    for (const table of ['conversations', 'inbound', 'outbox'])
      await db.run((m) => m.query(`ANALYZE ${table}`));
    // The statements as the repository sends them, explained with the values of a batch of 16.
    const items = Array.from({ length: 16 }, (_, n) => message(`u${n + 1}`, `new-${n}`, 'hallo'));
    const read = await db.run((m) => storeAndReadTurns(m, items));
    expect(read.every((r) => r.turn !== null)).toBe(true);
    for (const plan of await explainBoth(db, read))
      expect(plan.text, JSON.stringify(plan.params)).not.toMatch(
        /Seq Scan on (inbound|outbox|conversations)\b/,
      );
  });
});

/** EXPLAIN of both batched statements with a batch's real values: their plans as text (nothing is written). */
async function explainBoth(
  db: Database,
  read: { id: number | null; turn: TurnStart | null }[],
): Promise<{ text: string; params: unknown[] }[]> {
  const plans: { text: string; params: unknown[] }[] = [];
  const pool = await db.run(async (m) => poolOf(m.connection));
  if (!pool) throw new Error('no PostgreSQL pool');
  const connect = pool.connect.bind(pool);
  // Each statement the batch functions send on a connection of the pool is explained instead of run.
  pool.connect = async () => {
    const client = await connect();
    const explaining = Object.create(client) as PgClient;
    explaining.query = async (config, values) => {
      const text = (config as { text: string }).text;
      const result = (await client.query({ text: `EXPLAIN ${text}` }, values)) as {
        rows: { 'QUERY PLAN': string }[];
      };
      plans.push({ text: result.rows.map((r) => r['QUERY PLAN']).join('\n'), params: values ?? [] });
      return { rows: [], rowCount: 0 };
    };
    explaining.release = (error) => client.release(error);
    return explaining;
  };
  try {
    await db.run((m) =>
      storeAndReadTurns(m, [message('u1', 'again-1', 'ja'), message('u2', 'again-2', 'nee')]),
    );
    await db.run((m) =>
      finishTurns(
        m,
        read.slice(0, 8).map((r) => ({
          key: r.turn!.conversation.key,
          version: r.turn!.version,
          state: {},
          flags: {},
          inboundId: r.turn!.item.id,
          now: at(30),
          items: [
            { kind: 'message', to: { channel: 'console', userId: r.turn!.conversation.userId }, text: 'ok' },
          ],
          claimUntil: at(90),
          direct: new Map([[r.turn!.conversation.key, []]]),
        })),
      ),
    );
  } finally {
    pool.connect = connect;
  }
  expect(plans).toHaveLength(2);
  return plans;
}

describe.skipIf(!postgresAvailable)('the conversation repository on PostgreSQL, called concurrently', () => {
  const fresh = freshDatabasePerTest();

  it('writes concurrent turns of different conversations in shared statements, each with its own answer', async () => {
    const { db } = await fresh.open('postgres');
    const uow = createUnitOfWork(db);
    const items = Array.from({ length: 40 }, (_, n) => message(`p${n}`, `p${n}`, `bericht ${n}`));
    const statements = await countStatements(db, () =>
      Promise.all(items.map((item) => uow.run((r) => r.conversations.storeAndReadTurn(item)))),
    );
    const results = statements.result;
    expect(results.map((r) => r.turn?.item.text)).toEqual(items.map((item) => item.text));
    expect(new Set(results.map((r) => r.id)).size).toBe(40);
    // 40 calls made together: fewer statements than calls.
    expect(statements.count).toBeLessThan(40);
    const saved = await Promise.all(
      results.map(({ turn }) =>
        uow.run((r) =>
          r.conversations.finishTurn({
            key: turn!.conversation.key,
            version: turn!.version,
            state: { done: turn!.item.text },
            flags: {},
            inboundId: turn!.item.id,
            now: at(40),
            items: [
              {
                kind: 'message',
                to: { channel: 'console', userId: turn!.conversation.userId },
                text: `re ${turn!.item.text}`,
              },
            ],
            claimUntil: at(100),
            direct: new Map([[turn!.conversation.key, []]]),
          }),
        ),
      ),
    );
    expect(saved.map((s) => s?.[0]?.kind === 'message' && s[0].text)).toEqual(
      items.map((item) => `re ${item.text}`),
    );
    const { rows: pending } = await db.run((m) =>
      sql<{ n: string }>(m, 'postgres', `SELECT count(*) AS n FROM inbound WHERE status = 'pending'`),
    );
    expect(Number(pending[0]?.n)).toBe(0);
  });

  it('fails only the call whose value PostgreSQL refuses; its batch-mates are stored', async () => {
    const { db } = await fresh.open('postgres');
    const uow = createUnitOfWork(db);
    // A message id far longer than any channel's: the dedupe key does not fit its column.
    const items = [
      message('q1', 'q1', 'een'),
      message('q2', 'x'.repeat(400), 'twee'),
      message('q3', 'q3', 'drie'),
    ];
    const settled = await Promise.allSettled(
      items.map((item) => uow.run((r) => r.conversations.storeAndReadTurn(item))),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const { rows: stored } = await db.run((m) =>
      sql<{ text: string }>(m, 'postgres', `SELECT text FROM inbound ORDER BY id`),
    );
    expect(stored.map((r) => r.text)).toEqual(['een', 'drie']);
  });
});

/** Runs `fn` and counts the statements it sent on its own connection of the pool (outside a transaction). */
async function countStatements<T>(db: Database, fn: () => Promise<T>): Promise<{ result: T; count: number }> {
  const pool = db.run(async (m) => poolOf(m.connection));
  const resolved = await pool;
  if (!resolved) throw new Error('no PostgreSQL pool');
  const connect = resolved.connect.bind(resolved);
  let count = 0;
  resolved.connect = () => {
    count++;
    return connect();
  };
  try {
    return { result: await fn(), count };
  } finally {
    resolved.connect = connect;
  }
}
