import type { EntityManager } from 'typeorm';
import type {
  ConversationRepository,
  OutboxItem,
  StoredConversation,
  StoredInbound,
  StoredOutboxItem,
  TranscriptEntry,
} from '../../ports/conversation-repository.js';
import type { Language } from '../../i18n/translator.js';
import type { Choice } from '../../ports/messages.js';
import { conversationKey, type Address } from '../../shared/address.js';
import { searchText } from '../../shared/search-words.js';
import { indexSearchWords, SEARCH_INDEX_BATCH } from './search-index.js';
import { num, sql } from '../sql.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from '../../ports/personal-data.js';
import * as privacy from './conversation-privacy.js';

type Row = Record<string, unknown>;

/** Conversations, inbound log and outbox in SQL, written by hand for the hot path. */
export class SqlConversationRepository implements ConversationRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  private q<R = Row>(text: string, params: unknown[] = []) {
    return sql<R>(this.m, this.kind, text, params);
  }

  async storeInbound(item: Parameters<ConversationRepository['storeInbound']>[0]): Promise<number | null> {
    const key = `${item.address.channel}:${item.address.userId}`;
    const at = item.now.getTime();
    const inserted = await this.q<{ id: number }>(
      `INSERT INTO inbound (dedupe_key, conversation_key, kind, text, choice_id, has_media, first_name, event, status, attempts, received_at, search_text)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        item.dedupeKey,
        key,
        item.kind,
        item.text,
        item.choiceId ?? null,
        item.hasMedia ? 1 : 0,
        item.firstName ?? null,
        item.event ? JSON.stringify(item.event) : null,
        at,
        // The words search finds it by (src/shared/search-words.ts); events are not searched.
        item.kind === 'message' ? searchText(item.text) : null,
      ],
    );
    const row = inserted.rows[0];
    if (!row) return null;
    // SQLite's word index takes messages in batches: one index write per 64 messages, not per message.
    if (this.kind === 'sqlite' && num(row.id) % SEARCH_INDEX_BATCH === 0) await indexSearchWords(this.m);
    await this.q(
      `INSERT INTO conversations (key, channel, user_id, state, needs_human, created_at, updated_at)
       VALUES (?, ?, ?, NULL, 0, ?, ?) ON CONFLICT (key) DO NOTHING`,
      [key, item.address.channel, item.address.userId, at, at],
    );
    return num(row.id);
  }

  async lockConversation(key: string): Promise<StoredConversation | null> {
    const lock = this.kind === 'postgres' ? ' FOR UPDATE' : '';
    const { rows } = await this.q(
      `SELECT key, channel, user_id, state, needs_human FROM conversations WHERE key = ?${lock}`,
      [key],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      key: String(row.key),
      channel: String(row.channel),
      userId: String(row.user_id),
      state: typeof row.state === 'string' ? (JSON.parse(row.state) as unknown) : null,
      needsHuman: num(row.needs_human) === 1,
    };
  }

  async nextPending(key: string): Promise<{ item: StoredInbound; more: boolean } | null> {
    const { rows } = await this.q(
      `SELECT id, conversation_key, kind, text, choice_id, has_media, first_name, event, attempts FROM inbound
       WHERE conversation_key = ? AND status = 'pending' ORDER BY id LIMIT 2`,
      [key],
    );
    const row = rows[0];
    if (!row) return null;
    const item: StoredInbound = {
      id: num(row.id),
      conversationKey: String(row.conversation_key),
      kind: row.kind === 'event' ? 'event' : 'message',
      text: String(row.text),
      hasMedia: num(row.has_media) === 1,
      attempts: num(row.attempts),
    };
    if (typeof row.choice_id === 'string') item.choiceId = row.choice_id;
    if (typeof row.first_name === 'string') item.firstName = row.first_name;
    if (typeof row.event === 'string') item.event = JSON.parse(row.event) as StoredInbound['event'];
    return { item, more: rows.length > 1 };
  }

  async conversationsWithPending(limit: number): Promise<string[]> {
    const { rows } = await this.q<{ conversation_key: string }>(
      `SELECT DISTINCT conversation_key FROM inbound WHERE status = 'pending' LIMIT ?`,
      [limit],
    );
    return rows.map((r) => r.conversation_key);
  }

  async saveState(key: string, state: unknown, now: Date, flags: { needsHuman?: boolean }): Promise<void> {
    const needsHuman = flags.needsHuman === undefined ? null : flags.needsHuman ? 1 : 0;
    await this.q(
      `UPDATE conversations SET state = ?, needs_human = COALESCE(?, needs_human), updated_at = ? WHERE key = ?`,
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
    return affected > 0;
  }

  async requeueInbound(inboundId: number): Promise<void> {
    await this.q(`UPDATE inbound SET status = 'pending', attempts = 0 WHERE id = ? AND status = 'failed'`, [
      inboundId,
    ]);
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
    const values: unknown[] = [];
    for (const item of items) {
      const to = item.kind === 'message' ? item.to : undefined;
      values.push(
        item.kind,
        to?.channel ?? null,
        to?.userId ?? null,
        JSON.stringify(body(item)),
        item.causeId ?? null,
        claimUntil.getTime(),
        now.getTime(),
      );
    }
    const { rows } = await this.q<{ id: number }>(
      `INSERT INTO outbox (kind, channel, user_id, body, cause_id, status, attempts, claimed_until, created_at)
       VALUES ${items.map(() => "(?, ?, ?, ?, ?, 'pending', 0, ?, ?)").join(', ')} RETURNING id`,
      values,
    );
    // Ids grow in insertion order on both databases; RETURNING's row order is not promised.
    const ids = rows.map((r) => num(r.id)).sort((a, b) => a - b);
    return items.map((item, i) => ({ ...item, id: ids[i] ?? 0, attempts: 0 }));
  }

  async claimDueOutbox(
    now: Date,
    claimUntil: Date,
    serves: { channels: string[]; jobs: boolean },
    limit: number,
  ): Promise<StoredOutboxItem[]> {
    // Claim only what this process can deliver: messages for its channels, and jobs if it queues them.
    const channelList = serves.channels.map(() => '?').join(', ') || 'NULL';
    const { rows } = await this.q(
      `UPDATE outbox SET claimed_until = ? WHERE id IN (
         SELECT id FROM outbox o WHERE status = 'pending' AND claimed_until <= ?
           AND ((kind = 'message' AND channel IN (${channelList})) OR (kind <> 'message' AND ? = 1))
           AND NOT (kind = 'message' AND EXISTS (
             SELECT 1 FROM outbox e WHERE e.channel = o.channel AND e.user_id = o.user_id AND e.kind = 'message'
               AND e.status = 'pending' AND e.id < o.id AND e.claimed_until > ?))
         ORDER BY id LIMIT ?)
       RETURNING id, kind, channel, user_id, body, cause_id, attempts`,
      [claimUntil.getTime(), now.getTime(), ...serves.channels, serves.jobs ? 1 : 0, now.getTime(), limit],
    );
    return rows.map(toOutboxItem).sort((a, b) => a.id - b.id);
  }

  async markDelivered(outboxIds: number[], now: Date): Promise<void> {
    // SQLite limits the number of bound values in one statement; stay far below it.
    for (let i = 0; i < outboxIds.length; i += 500) {
      const ids = outboxIds.slice(i, i + 500);
      await this.q(
        `UPDATE outbox SET status = 'sent', delivered_at = ?, delivery_state = COALESCE(delivery_state, 'sent')
         WHERE id IN (${ids.map(() => '?').join(', ')})`,
        [now.getTime(), ...ids],
      );
    }
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
    const { rows } = await this.q(
      `SELECT side, id, seq, sub, text, body, dedupe_key, at FROM (
         SELECT 'in' AS side, id, id AS seq, 0 AS sub, text, NULL AS body, dedupe_key, received_at AS at
           FROM inbound WHERE conversation_key = ? AND kind = 'message'
         UNION ALL
         SELECT 'out' AS side, id, COALESCE(cause_id, 0) AS seq, id AS sub, NULL AS text, body, NULL AS dedupe_key,
                created_at AS at
           FROM outbox WHERE kind = 'message' AND channel = ? AND user_id = ?
       ) t ORDER BY seq DESC, sub DESC LIMIT ?`,
      [conversationKey(address), address.channel, address.userId, limit],
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

function body(item: OutboxItem): unknown {
  if (item.kind === 'message') return { text: item.text, choices: item.choices };
  if (item.kind === 'job')
    return { name: item.name, data: item.data, jobId: item.jobId, runAt: item.runAt?.getTime() };
  return { jobId: item.jobId };
}

function toTranscriptEntry(row: Row, dedupePrefix: string): TranscriptEntry {
  const at = new Date(num(row.at));
  if (row.side === 'in') {
    const key = String(row.dedupe_key);
    const messageId = key.startsWith(dedupePrefix) ? key.slice(dedupePrefix.length) : key;
    return { side: 'in', id: num(row.id), messageId, text: String(row.text), at };
  }
  const b = JSON.parse(String(row.body)) as { text?: unknown; choices?: Choice[] };
  return {
    side: 'out',
    id: num(row.id),
    text: typeof b.text === 'string' ? b.text : '',
    ...(b.choices?.length ? { choices: b.choices } : {}),
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
