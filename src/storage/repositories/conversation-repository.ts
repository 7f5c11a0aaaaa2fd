import type { EntityManager } from 'typeorm';
import type {
  ConversationRepository,
  OutboxItem,
  StoredConversation,
  StoredInbound,
  StoredOutboxItem,
  TranscriptEntry,
  TurnEnd,
  TurnStart,
} from '../../ports/conversation-repository.js';
import type { Language } from '../../i18n/translator.js';
import type { Choice } from '../../ports/messages.js';
import { conversationKey, type Address } from '../../shared/address.js';
import { indexSearchWords, SEARCH_INDEX_BATCH } from './search-index.js';
import { inTransaction, num, sql } from '../sql.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from '../../ports/personal-data.js';
import * as privacy from './conversation-privacy.js';
import { GroupCommit } from '../group-commit.js';
import { databaseAway } from '../pg-timeouts.js';
import { finishTurns, storeAndReadTurns } from './turn-batches.js';
import {
  authorOf,
  body,
  claimedOf,
  handledIds,
  inboundValues,
  knownOf,
  ITEM_COLUMNS,
  needsHumanOf,
  outboxValuesOf,
  toConversation,
  toInbound,
  toTurn,
  TURN_COLUMNS,
  turnAfterStore,
  type StoreItem,
} from './turn-rows.js';

type Row = Record<string, unknown>;

/** The name of the PostgreSQL advisory lock that outbox claims take turns on. */
const OUTBOX_CLAIM_LOCK = 'spreekuur.outbox-claim';

/** The most turns in one batched statement (group commit). */
const TURNS_PER_BATCH = 64;
/** Batched statements of each kind at the database at once, per process. */
const BATCHES_IN_FLIGHT = 1;

interface TurnBatches {
  store: GroupCommit<StoreItem, { id: number | null; turn: TurnStart | null }>;
  finish: GroupCommit<TurnEnd, StoredOutboxItem[] | null>;
}

/** Per database (TypeORM DataSource) in this process. */
const turnBatches = new WeakMap<object, TurnBatches>();

/**
 * What this process's group commits of the turn's two statements did on a database (its TypeORM
 * DataSource), for /metrics: statements sent, turns written through them, and batches the database
 * refused that were tried again call by call. Empty before the first turn outside a transaction.
 */
export function turnBatchStats(
  source: object,
): { statement: 'store' | 'finish'; batches: number; calls: number; fallbacks: number }[] {
  const batches = turnBatches.get(source);
  if (!batches) return [];
  return [
    { statement: 'store', ...batches.store.stats },
    { statement: 'finish', ...batches.finish.stats },
  ];
}

/** The people a turn writes messages to: two turns writing to the same person never share a batch. */
function recipientsOf(turn: TurnEnd): string[] {
  return turn.items.flatMap((item) => (item.kind === 'message' ? [conversationKey(item.to)] : []));
}

/** Conversations, inbound log and outbox in SQL, written by hand for the hot path. */
export class SqlConversationRepository implements ConversationRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  private q<R = Row>(text: string, params: unknown[] = []) {
    return sql<R>(this.m, this.kind, text, params);
  }

  async storeInbound(item: StoreItem): Promise<number | null> {
    const { values, conversation } = inboundValues(item);
    if (this.kind === 'postgres') {
      // One statement, so one round trip and atomic without a transaction around it.
      const { rows } = await this.q<{ id: number }>(
        `WITH i AS (${INSERT_INBOUND} RETURNING id), ${insertConversation('i')} SELECT id FROM i`,
        [...values, ...conversation],
      );
      return rows[0] ? num(rows[0].id) : null;
    }
    return this.atomic(async (q) => {
      const inserted = await q<{ id: number }>(`${INSERT_INBOUND} RETURNING id`, values);
      const row = inserted.rows[0];
      if (!row) return null;
      // SQLite's word index takes messages in batches: one index write per 64 messages, not per message.
      if (num(row.id) % SEARCH_INDEX_BATCH === 0) await indexSearchWords(this.m);
      await q(
        `INSERT INTO conversations (key, channel, user_id, state, needs_human, created_at, updated_at)
         VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (key) DO NOTHING`,
        conversation,
      );
      return num(row.id);
    });
  }

  async storeAndReadTurn(item: StoreItem): Promise<{ id: number | null; turn: TurnStart | null }> {
    if (this.kind !== 'postgres') {
      const id = await this.storeInbound(item);
      return { id, turn: id === null ? null : await this.readTurn(conversationKey(item.address)) };
    }
    // Outside a transaction the write joins those of other conversations made meanwhile.
    if (!inTransaction(this.m)) return this.batches().store.submit(item);
    return this.storeAndReadOne(item);
  }

  private async storeAndReadOne(item: StoreItem): Promise<{ id: number | null; turn: TurnStart | null }> {
    const { key, values, conversation } = inboundValues(item);
    // The statement sees the tables as they were before it: the new row comes from `i`, and the
    // conversation from `c` when this statement created it. One that another process created in
    // between is in neither, and then no turn comes back (readTurn reads it after the commit).
    const { rows } = await this.q(STORE_AND_READ_TURN, [...values, ...conversation, key]);
    const row = rows[0];
    if (!row) return { id: null, turn: null };
    return { id: num(row.stored_id), turn: row.key === null || row.key === undefined ? null : toTurn(row) };
  }

  /**
   * Runs `fn` in this manager's transaction, or in one of its own when there is none (SQLite: the
   * statements of one write must not be parted by a crash; PostgreSQL writes these in one statement).
   */
  private atomic<T>(fn: (q: SqlConversationRepository['q']) => Promise<T>): Promise<T> {
    if (inTransaction(this.m)) return fn((text, params) => this.q(text, params));
    return this.m.transaction((m) => fn((text, params) => sql(m, this.kind, text, params)));
  }

  async readTurn(key: string): Promise<TurnStart | null> {
    const list = this.kind === 'postgres' ? `string_agg(o.id::text, ',')` : `group_concat(o.id, ',')`;
    // PostgreSQL keeps a generic plan of this statement (sql.ts names it). Written as a join on a
    // scalar subquery, a plan made while the tables were still empty hashed all of inbound at every
    // turn; the lateral form is an index look-up at any size. SQLite has no LATERAL.
    const oldest =
      this.kind === 'postgres'
        ? `CROSS JOIN LATERAL (SELECT p.id FROM inbound p WHERE p.conversation_key = c.key
             AND p.status = 'pending' ORDER BY p.id LIMIT 1) f
           JOIN inbound i ON i.id = f.id`
        : `JOIN inbound i ON i.id = (SELECT p.id FROM inbound p WHERE p.conversation_key = c.key
             AND p.status = 'pending' ORDER BY p.id LIMIT 1)`;
    const { rows } = await this.q(
      `SELECT c.key, c.channel, c.user_id, c.state, c.needs_human, c.version,
         i.id, i.conversation_key, i.kind, i.text, i.choice_id, i.has_media, i.first_name, i.event, i.attempts,
         (SELECT alderman_id FROM staff_identities s WHERE s.channel = c.channel AND s.user_id = c.user_id)
           AS alderman_id,
         (SELECT ${list} FROM outbox o WHERE o.channel = c.channel AND o.user_id = c.user_id
           AND o.kind = 'message' AND o.status = 'pending') AS undelivered,
         CASE WHEN EXISTS (SELECT 1 FROM inbound m WHERE m.conversation_key = c.key AND m.status = 'pending'
           AND m.id > i.id) THEN 1 ELSE 0 END AS more
       FROM conversations c ${oldest}
       WHERE c.key = ?`,
      [key],
    );
    const row = rows[0];
    return row ? toTurn(row) : null;
  }

  async finishTurn(turn: TurnEnd): Promise<StoredOutboxItem[] | null> {
    if (this.kind !== 'postgres') return this.atomic(() => this.finishTurnInSteps(turn));
    // Outside a transaction the write joins those of other conversations' turns made meanwhile.
    return inTransaction(this.m) ? this.finishTurnInOne(turn) : this.batches().finish.submit(turn);
  }

  /**
   * PostgreSQL: the group commits of this database's turns outside a transaction (one per process
   * and database): the turns of other conversations written meanwhile share a statement.
   */
  private batches(): TurnBatches {
    const source = this.m.connection;
    let batches = turnBatches.get(source);
    if (!batches) {
      const plain = new SqlConversationRepository(source.manager, 'postgres');
      batches = {
        store: new GroupCommit({
          keys: (item) => [conversationKey(item.address), `dedupe ${item.dedupeKey}`],
          one: (item) => plain.storeAndReadOne(item),
          many: (items) => storeAndReadTurns(source.manager, items),
          away: databaseAway,
          maxBatch: TURNS_PER_BATCH,
          maxInFlight: BATCHES_IN_FLIGHT,
        }),
        finish: new GroupCommit({
          keys: (turn) => [turn.key, ...recipientsOf(turn)],
          one: (turn) => plain.finishTurnInOne(turn),
          many: (turns) => finishTurns(source.manager, turns),
          away: databaseAway,
          maxBatch: TURNS_PER_BATCH,
          maxInFlight: BATCHES_IN_FLIGHT,
        }),
      };
      turnBatches.set(source, batches);
    }
    return batches;
  }

  /** PostgreSQL: the whole write in one statement, the checks in it. */
  private async finishTurnInOne(turn: TurnEnd): Promise<StoredOutboxItem[] | null> {
    const now = turn.now.getTime();
    const ids = handledIds(turn);
    const params: unknown[] = [
      JSON.stringify(turn.state),
      needsHumanOf(turn.flags),
      now,
      turn.key,
      turn.version,
      ...ids,
      ...ids.flatMap((id) => [now, id]),
    ];
    if (!turn.items.length) {
      const { rows } = await this.q<{ saved: number }>(turnWrite(ids.length, 0), params);
      return num(rows[0]?.saved ?? 0) > 0 ? [] : null;
    }
    for (const [n, row] of outboxValuesOf(turn).entries())
      params.push(n, row.kind, row.channel, row.userId, row.body, row.causeId, row.direct);
    params.push(turn.claimUntil.getTime(), now, now, knownOf(turn));
    const { rows } = await this.q(turnWrite(ids.length, turn.items.length), params);
    if (num(rows[0]?.saved ?? 0) === 0) return null;
    const stored = rows
      .map((r) => ({ id: num(r.id), claimedUntil: num(r.claimed_until) }))
      .sort((a, b) => a.id - b.id);
    return claimedOf(turn, stored);
  }

  /** SQLite: the same checks and writes one after the other, in one transaction. */
  private async finishTurnInSteps(turn: TurnEnd): Promise<StoredOutboxItem[] | null> {
    const ids = handledIds(turn);
    const list = ids.map(() => '?').join(', ');
    const { rows } = await this.q<{ n: number }>(
      `SELECT (SELECT COUNT(*) FROM inbound i WHERE i.id IN (${list}) AND i.status = 'pending') AS n
       FROM conversations c WHERE c.key = ? AND c.version = ?`,
      [...ids, turn.key, turn.version],
    );
    if (num(rows[0]?.n ?? 0) !== ids.length) return null;
    await this.saveState(turn.key, turn.state, turn.now, turn.flags);
    await this.q(`UPDATE inbound SET status = 'done', handled_at = ? WHERE id IN (${list})`, [
      turn.now.getTime(),
      ...ids,
    ]);
    const still = new Set<string>();
    for (const [key, known] of turn.direct) {
      const [channel, ...rest] = key.split(':');
      const to = { channel: channel ?? '', userId: rest.join(':') };
      if (!(await this.undeliveredBesides(to, known))) still.add(key);
    }
    const claimUntil = turn.claimUntil.getTime();
    const now = turn.now.getTime();
    const claims = turn.items.map((item) =>
      item.kind !== 'message' || still.has(conversationKey(item.to)) ? claimUntil : now,
    );
    const stored: { id: number; claimedUntil: number }[] = [];
    for (let i = 0; i < turn.items.length; i += 100) {
      const ids = await this.insertOutboxRows(
        turn.items.slice(i, i + 100),
        claims.slice(i, i + 100),
        turn.now,
      );
      stored.push(...ids.map((id, n) => ({ id, claimedUntil: claims[i + n] ?? now })));
    }
    return claimedOf(turn, stored);
  }

  async lockConversation(key: string): Promise<StoredConversation | null> {
    const lock = this.kind === 'postgres' ? ' FOR UPDATE' : '';
    const { rows } = await this.q(
      `SELECT key, channel, user_id, state, needs_human FROM conversations WHERE key = ?${lock}`,
      [key],
    );
    const row = rows[0];
    return row ? toConversation(row) : null;
  }

  async nextPending(key: string): Promise<{ item: StoredInbound; more: boolean } | null> {
    const { rows } = await this.q(
      `SELECT id, conversation_key, kind, text, choice_id, has_media, first_name, event, attempts FROM inbound
       WHERE conversation_key = ? AND status = 'pending' ORDER BY id LIMIT 2`,
      [key],
    );
    const row = rows[0];
    return row ? { item: toInbound(row), more: rows.length > 1 } : null;
  }

  async pendingAfter(
    key: string,
    afterId: number,
    limit: number,
  ): Promise<{ items: StoredInbound[]; more: boolean }> {
    const { rows } = await this.q(
      `SELECT ${ITEM_COLUMNS} FROM inbound
       WHERE conversation_key = ? AND status = 'pending' AND id > ? ORDER BY id LIMIT ?`,
      [key, afterId, limit + 1],
    );
    return { items: rows.slice(0, limit).map(toInbound), more: rows.length > limit };
  }

  async conversationsWithPending(limit: number, storedUpTo?: Date): Promise<string[]> {
    const { rows } = await this.q<{ conversation_key: string }>(WAITING_CONVERSATIONS, [
      storedUpTo?.getTime() ?? Number.MAX_SAFE_INTEGER,
      limit,
    ]);
    return rows.map((r) => r.conversation_key);
  }

  async saveState(key: string, state: unknown, now: Date, flags: { needsHuman?: boolean }): Promise<void> {
    const needsHuman = needsHumanOf(flags);
    await this.q(
      `UPDATE conversations SET state = ?, needs_human = COALESCE(?, needs_human), updated_at = ?, version = version + 1
       WHERE key = ?`,
      [JSON.stringify(state), needsHuman, now.getTime(), key],
    );
  }

  async markHandled(inboundId: number, now: Date): Promise<void> {
    await this.q(`UPDATE inbound SET status = 'done', handled_at = ? WHERE id = ?`, [
      now.getTime(),
      inboundId,
    ]);
  }

  async markAttemptFailed(inboundId: number, error: string, giveUp: boolean): Promise<boolean> {
    // Only a pending item: one whose turn committed (the acknowledgement lost) is never reopened.
    const { affected } = await this.q(
      `UPDATE inbound SET attempts = attempts + 1, last_error = ?, status = ? WHERE id = ? AND status = 'pending'`,
      [error, giveUp ? 'failed' : 'pending', inboundId],
    );
    // A turn read before this change must not be saved over it (finishTurn checks the version).
    if (affected > 0) await this.bumpVersionOf(inboundId);
    return affected > 0;
  }

  async requeueInbound(inboundId: number): Promise<void> {
    const { affected } = await this.q(
      `UPDATE inbound SET status = 'pending', attempts = 0 WHERE id = ? AND status = 'failed'`,
      [inboundId],
    );
    if (affected > 0) await this.bumpVersionOf(inboundId);
  }

  private async bumpVersionOf(inboundId: number): Promise<void> {
    await this.q(
      `UPDATE conversations SET version = version + 1
       WHERE key = (SELECT conversation_key FROM inbound WHERE id = ?)`,
      [inboundId],
    );
  }

  /**
   * SQLite: whether a message to the person waits that is not one of `known`, as PostgreSQL's turn
   * write checks it: one row at most. Listing every undelivered message to compare (as undeliveredTo)
   * read a busy alderman's whole backlog at every turn (500 rows in the routing benchmark).
   */
  private async undeliveredBesides(address: Address, known: readonly number[]): Promise<boolean> {
    const { rows } = await this.q(
      `SELECT id FROM outbox WHERE channel = ? AND user_id = ? AND kind = 'message' AND status = 'pending'
         AND id NOT IN (SELECT value FROM json_each(?)) LIMIT 1`,
      [address.channel, address.userId, JSON.stringify(known)],
    );
    return rows.length > 0;
  }

  async undeliveredTo(address: Address): Promise<number[]> {
    const { rows } = await this.q<{ id: number }>(
      `SELECT id FROM outbox WHERE channel = ? AND user_id = ? AND kind = 'message' AND status = 'pending' ORDER BY id`,
      [address.channel, address.userId],
    );
    return rows.map((r) => num(r.id));
  }

  async addToOutbox(items: OutboxItem[], now: Date, claimUntil: Date): Promise<StoredOutboxItem[]> {
    const stored: StoredOutboxItem[] = [];
    // One statement per 100 rows keeps within SQLite's limit on bound values.
    for (let i = 0; i < items.length; i += 100)
      stored.push(...(await this.insertOutbox(items.slice(i, i + 100), now, claimUntil)));
    return stored;
  }

  private async insertOutbox(items: OutboxItem[], now: Date, claimUntil: Date): Promise<StoredOutboxItem[]> {
    const ids = await this.insertOutboxRows(
      items,
      items.map(() => claimUntil.getTime()),
      now,
    );
    return items.map((item, i) => ({ ...item, id: ids[i] ?? 0, attempts: 0 }));
  }

  /** Inserts outbox rows, each claimed until its `claims` entry; returns their ids in item order. */
  private async insertOutboxRows(items: OutboxItem[], claims: number[], now: Date): Promise<number[]> {
    const values: unknown[] = [];
    items.forEach((item, i) => {
      const to = item.kind === 'message' ? item.to : undefined;
      values.push(
        item.kind,
        to?.channel ?? null,
        to?.userId ?? null,
        JSON.stringify(body(item)),
        item.causeId ?? null,
        claims[i],
        now.getTime(),
      );
    });
    const { rows } = await this.q<{ id: number }>(
      `INSERT INTO outbox (kind, channel, user_id, body, cause_id, status, attempts, claimed_until, created_at)
       VALUES ${items.map(() => "(?, ?, ?, ?, ?, 'pending', 0, ?, ?)").join(', ')} RETURNING id`,
      values,
    );
    // Ids grow in insertion order on both databases; RETURNING's row order is not promised.
    return rows.map((r) => num(r.id)).sort((a, b) => a - b);
  }

  async claimDueOutbox(
    now: Date,
    claimUntil: Date,
    serves: { channels: string[]; jobs: boolean },
    limit: number,
    held?: { from: Date; to: Date },
  ): Promise<StoredOutboxItem[]> {
    // PostgreSQL: claims take turns. A claim reads the outbox in a snapshot; one that started while
    // another's claim of a person's earlier message was not committed saw that message unclaimed and
    // claimed the person's later one, and two processes sent the two at once, out of order. Behind
    // the lock, a claim reads what the one before it committed. SQLite runs one write at a time.
    if (this.kind !== 'postgres')
      return this.claimDue(now, claimUntil, serves, limit, held, this.q.bind(this));
    return this.atomic(async (q) => {
      await q(`SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`, [OUTBOX_CLAIM_LOCK]);
      return this.claimDue(now, claimUntil, serves, limit, held, q);
    });
  }

  private async claimDue(
    now: Date,
    claimUntil: Date,
    serves: { channels: string[]; jobs: boolean },
    limit: number,
    held: { from: Date; to: Date } | undefined,
    q: SqlConversationRepository['q'],
  ): Promise<StoredOutboxItem[]> {
    // Claim only what this process can deliver: messages for its channels, and jobs if it queues them.
    const channelList = serves.channels.map(() => '?').join(', ') || 'NULL';
    // The outer `status` and `claimed_until` repeat the inner ones on purpose. On PostgreSQL a sweep
    // that meets another's claim of the same rows waits for its commit and then checks only the outer
    // conditions again (on the rows as that claim left them), not the subquery's: without them it
    // claimed the rows a second time, and two processes sent the same reply.
    // A claim that ran out within `held` is still its holder's (an empty window when there is none).
    // Only a claim: an item written for the sweep is claimed until the moment it was written.
    const window = [held?.from.getTime() ?? 0, held?.to.getTime() ?? 0];
    const ranOut = (t: string) =>
      `${t}claimed_until <= ? AND NOT (${t}claimed_until > ? AND ${t}claimed_until <= ? AND ${t}claimed_until > ${t}created_at)`;
    const { rows } = await q(
      `UPDATE outbox SET claimed_until = ? WHERE status = 'pending' AND ${ranOut('')} AND id IN (
         SELECT id FROM outbox o WHERE status = 'pending' AND ${ranOut('')}
           AND ((kind = 'message' AND channel IN (${channelList})) OR (kind <> 'message' AND ? = 1))
           AND NOT (kind = 'message' AND EXISTS (
             SELECT 1 FROM outbox e WHERE e.channel = o.channel AND e.user_id = o.user_id AND e.kind = 'message'
               AND e.status = 'pending' AND e.id < o.id AND NOT (${ranOut('e.')})))
         ORDER BY id LIMIT ?)
       RETURNING id, kind, channel, user_id, body, cause_id, attempts`,
      [
        claimUntil.getTime(),
        now.getTime(),
        ...window,
        now.getTime(),
        ...window,
        ...serves.channels,
        serves.jobs ? 1 : 0,
        now.getTime(),
        ...window,
        limit,
      ],
    );
    return rows.map(toOutboxItem).sort((a, b) => a.id - b.id);
  }

  async renewOutboxClaims(outboxIds: number[], until: Date): Promise<void> {
    for (let i = 0; i < outboxIds.length; i += 500) {
      const ids = outboxIds.slice(i, i + 500);
      const among = this.idIn(ids);
      await this.q(
        `UPDATE outbox SET claimed_until = ? WHERE status = 'pending' AND claimed_until < ? AND ${among.text}`,
        [until.getTime(), until.getTime(), ...among.params],
      );
    }
  }

  async markDelivered(outboxIds: number[], now: Date): Promise<void> {
    // SQLite limits the number of bound values in one statement; stay far below it.
    for (let i = 0; i < outboxIds.length; i += 500) {
      const ids = outboxIds.slice(i, i + 500);
      const among = this.idIn(ids);
      await this.q(
        `UPDATE outbox SET status = 'sent', delivered_at = ?, delivery_state = COALESCE(delivery_state, 'sent')
         WHERE ${among.text}`,
        [now.getTime(), ...among.params],
      );
    }
  }

  /**
   * `id` among `ids`. On PostgreSQL one array parameter, so that batches of any size are one
   * statement text, prepared and planned once per connection: an IN list was a new text for every
   * batch size, parsed and planned anew, and each size took one of sql.ts's prepared-statement names.
   */
  private idIn(ids: number[]): { text: string; params: unknown[] } {
    return this.kind === 'postgres'
      ? { text: 'id = ANY (?::int[])', params: [`{${ids.join(',')}}`] }
      : { text: `id IN (${ids.map(() => '?').join(', ')})`, params: ids };
  }

  async markDeliveryFailed(outboxId: number, error: string, retryAt: Date): Promise<void> {
    await this.q(
      `UPDATE outbox SET attempts = attempts + 1, last_error = ?, claimed_until = ? WHERE id = ?`,
      [error, retryAt.getTime(), outboxId],
    );
  }

  async markUndeliverable(outboxId: number, error: string): Promise<void> {
    await this.q(
      `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`,
      [error, outboxId],
    );
  }

  async postponeOutbox(outboxId: number, until: Date): Promise<void> {
    await this.q(`UPDATE outbox SET claimed_until = ? WHERE id = ? AND status = 'pending'`, [
      until.getTime(),
      outboxId,
    ]);
  }

  async releaseOutbox(outboxId: number, now: Date): Promise<void> {
    await this.q(`UPDATE outbox SET claimed_until = ? WHERE id = ? AND status = 'pending'`, [
      now.getTime(),
      outboxId,
    ]);
  }

  async setDeliveryState(outboxId: number, state: string): Promise<void> {
    await this.q(`UPDATE outbox SET delivery_state = ? WHERE id = ?`, [state, outboxId]);
  }

  async hasConversation(address: Address): Promise<boolean> {
    const { rows } = await this.q(`SELECT 1 AS one FROM conversations WHERE key = ?`, [
      conversationKey(address),
    ]);
    return rows.length > 0;
  }

  async languageOf(key: string): Promise<Language | null> {
    const { rows } = await this.q<{ state: string | null }>(`SELECT state FROM conversations WHERE key = ?`, [
      key,
    ]);
    const state = rows[0]?.state ? (JSON.parse(rows[0].state) as { lang?: unknown }) : null;
    return state?.lang === 'en' || state?.lang === 'nl' ? state.lang : null;
  }

  async transcript(address: Address, limit: number): Promise<TranscriptEntry[]> {
    // An inbound id orders the person's messages; a reply sorts right after the message that caused it.
    // A reply with no cause (the apology for a message that could not be stored) sorts after what the
    // conversation had taken in when it was written, not before everything.
    const key = conversationKey(address);
    const { rows } = await this.q(
      `SELECT side, id, seq, sub, text, body, dedupe_key, at FROM (
         SELECT 'in' AS side, id, id AS seq, 0 AS sub, text, NULL AS body, dedupe_key, received_at AS at
           FROM inbound WHERE conversation_key = ? AND kind = 'message'
         UNION ALL
         SELECT 'out' AS side, o.id,
                COALESCE(o.cause_id, (SELECT MAX(i.id) FROM inbound i
                                      WHERE i.conversation_key = ? AND i.received_at <= o.created_at), 0) AS seq,
                o.id AS sub, NULL AS text, o.body, NULL AS dedupe_key, o.created_at AS at
           FROM outbox o WHERE o.kind = 'message' AND o.channel = ? AND o.user_id = ?
       ) t ORDER BY seq DESC, sub DESC LIMIT ?`,
      [key, key, address.channel, address.userId, limit],
    );
    return rows.reverse().map((row) => toTranscriptEntry(row, `${address.channel}:`));
  }

  async countUndelivered(): Promise<number> {
    const { rows } = await this.q<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'`);
    return num(rows[0]?.n ?? 0);
  }

  purgeInbound(batch: PurgeBatch): Promise<number> {
    return privacy.purgeInbound(this.m, this.kind, batch);
  }

  purgeOutbox(which: 'messages' | 'deliveries', batch: PurgeBatch): Promise<number> {
    return privacy.purgeOutbox(this.m, this.kind, which, batch);
  }

  purgeConversations(batch: PurgeBatch): Promise<number> {
    return privacy.purgeConversations(this.m, this.kind, batch);
  }

  personalData(subject: DataSubject): Promise<StoredRows> {
    return privacy.conversationData(this.m, this.kind, subject);
  }

  erasePersonalData(subject: DataSubject): Promise<Counts> {
    return privacy.eraseConversationData(this.m, this.kind, subject);
  }
}

/**
 * The conversations with an item that waits since `received_at <= ?` (the safety-net sweep). The
 * waiting items are read first, through the partial index `inbound_waiting`, and only then made
 * distinct: asked in one go, SQLite walked the whole `inbound_pending` index (every message ever
 * kept) to get the keys in order for DISTINCT. MATERIALIZED keeps the two steps apart on both
 * databases.
 */
export const WAITING_CONVERSATIONS = `WITH waiting AS MATERIALIZED (
    SELECT conversation_key FROM inbound WHERE status = 'pending' AND received_at <= ?)
  SELECT DISTINCT conversation_key FROM waiting LIMIT ?`;

const INSERT_INBOUND = `INSERT INTO inbound (dedupe_key, conversation_key, kind, text, choice_id, has_media, first_name, event, status, attempts, received_at, search_text)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`;

/** PostgreSQL: the CTE `c` that creates the conversation when the CTE `inserted` stored a row. */
function insertConversation(inserted: string, returning = ''): string {
  return `c AS (INSERT INTO conversations (key, channel, user_id, state, needs_human, created_at, updated_at)
    SELECT ?::varchar, ?::varchar, ?::varchar, ?::text, 0, ?::bigint, ?::bigint WHERE EXISTS (SELECT 1 FROM ${inserted})
    ON CONFLICT (key) DO NOTHING${returning})`;
}

/** PostgreSQL: storeInbound and readTurn in one statement (the text is built once, see sql.ts). */
const STORE_AND_READ_TURN = `WITH i AS (${INSERT_INBOUND} RETURNING ${ITEM_COLUMNS}),
 ${insertConversation('i', ' RETURNING key, channel, user_id, state, needs_human, version')},
 k AS (SELECT key, channel, user_id, state, needs_human, version FROM conversations WHERE key = ?::varchar
   UNION ALL SELECT key, channel, user_id, state, needs_human, version FROM c)
 SELECT i.id AS stored_id, ${TURN_COLUMNS.map((c) => `t.${c}`).join(', ')} FROM i LEFT JOIN LATERAL (
   ${turnAfterStore('k')}) t ON true`;

/**
 * PostgreSQL: the start of finishTurn, the state saved and the `handled` items marked while all are as
 * read. Each item is looked up by `id = ?`: a generic plan made on empty tables must stay an index
 * look-up (test/storage/prepared-statements.test.ts).
 */
function turnWriteStart(handled: number): string {
  const each = Array.from({ length: handled }, (_, n) => n);
  const pending = each.map(() => `EXISTS (SELECT 1 FROM inbound WHERE id = ? AND status = 'pending')`);
  const mark = (name: string) => `${name} AS (
    UPDATE inbound SET status = 'done', handled_at = ? WHERE id = ? AND status = 'pending'
      AND EXISTS (SELECT 1 FROM c) RETURNING id)`;
  // Several items: an update by id each (an IN list was planned as a read of the whole table).
  const marks =
    handled === 1
      ? mark('h')
      : `${each.map((n) => mark(`h${n}`)).join(',\n  ')},
  h AS (${each.map((n) => `SELECT id FROM h${n}`).join(' UNION ALL ')})`;
  return `WITH c AS (
    UPDATE conversations SET state = ?, needs_human = COALESCE(?::int, needs_human), updated_at = ?,
      version = version + 1
    WHERE key = ? AND version = ? AND ${pending.join(' AND ')}
    RETURNING key),
  ${marks}`;
}

/** finishTurn's statement for `handled` items and `count` outbox items, by both: built once, not at every turn. */
const turnWrites = new Map<string, string>();

function turnWrite(handled: number, count: number): string {
  const key = `${handled}:${count}`;
  const known = turnWrites.get(key);
  if (known) return known;
  const start = turnWriteStart(handled);
  const values = Array.from(
    { length: count },
    () => '(?::int, ?::varchar, ?::varchar, ?::varchar, ?::text, ?::int, ?::boolean)',
  );
  // A message goes out from here only when no other undelivered message to the person turned up
  // since it was decided (one written meanwhile by another process waits elsewhere). The check is a
  // lateral look-up per item: as NOT EXISTS, PostgreSQL may run it as one hashed subplan over every
  // undelivered message in the outbox, everyone's, at every turn with more than one item.
  const text = !count
    ? `${start} SELECT (SELECT count(*) FROM h) AS saved`
    : `${start},
  v (n, kind, channel, user_id, body, cause_id, direct) AS (VALUES ${values.join(', ')}),
  o AS (
    INSERT INTO outbox (kind, channel, user_id, body, cause_id, status, attempts, claimed_until, created_at)
    SELECT v.kind, v.channel, v.user_id, v.body, v.cause_id, 'pending', 0,
      CASE WHEN v.direct AND w.id IS NULL THEN ?::bigint ELSE ?::bigint END, ?::bigint
    FROM v LEFT JOIN LATERAL (SELECT e.id FROM outbox e WHERE e.channel = v.channel AND e.user_id = v.user_id
        AND e.kind = 'message' AND e.status = 'pending' AND e.id <> ALL (?::int[]) LIMIT 1) w ON v.direct
    WHERE EXISTS (SELECT 1 FROM h) ORDER BY v.n
    RETURNING id, claimed_until)
  SELECT (SELECT count(*) FROM h) AS saved, o.id, o.claimed_until FROM (SELECT 1 AS one) x LEFT JOIN o ON true`;
  // A turn writes a handful of items; a rare long one is built anew rather than kept.
  if (count <= 20) turnWrites.set(key, text);
  return text;
}

function toTranscriptEntry(row: Row, dedupePrefix: string): TranscriptEntry {
  const at = new Date(num(row.at));
  if (row.side === 'in') {
    const key = String(row.dedupe_key);
    const messageId = key.startsWith(dedupePrefix) ? key.slice(dedupePrefix.length) : key;
    return { side: 'in', id: num(row.id), messageId, text: String(row.text), at };
  }
  const b = JSON.parse(String(row.body)) as { text?: unknown; choices?: Choice[]; author?: unknown };
  const author = authorOf(b.author);
  return {
    side: 'out',
    id: num(row.id),
    text: typeof b.text === 'string' ? b.text : '',
    ...(b.choices?.length ? { choices: b.choices } : {}),
    ...(author ? { author } : {}),
    at,
  };
}

function toOutboxItem(row: Row): StoredOutboxItem {
  const b = JSON.parse(String(row.body)) as Record<string, unknown>;
  const base = {
    id: num(row.id),
    attempts: num(row.attempts),
    ...(row.cause_id == null ? {} : { causeId: num(row.cause_id) }),
  };
  if (row.kind === 'message') {
    const choices = b.choices as Choice[] | undefined;
    return {
      ...base,
      kind: 'message',
      to: { channel: String(row.channel), userId: String(row.user_id) },
      text: String(b.text),
      ...(choices ? { choices } : {}),
    };
  }
  if (row.kind === 'job') {
    return {
      ...base,
      kind: 'job',
      name: String(b.name),
      data: b.data,
      ...(typeof b.jobId === 'string' ? { jobId: b.jobId } : {}),
      ...(typeof b.runAt === 'number' ? { runAt: new Date(b.runAt) } : {}),
    };
  }
  return { ...base, kind: 'cancel-job', jobId: String(b.jobId) };
}
