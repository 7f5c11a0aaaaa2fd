import type { EntityManager } from 'typeorm';
import type {
  Broadcast,
  BroadcastCounts,
  BroadcastRecipient,
  BroadcastRepository,
  DeliveryStatus,
} from '../../ports/broadcast-repository.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from '../../ports/personal-data.js';
import { num, sql } from '../sql.js';
import { deleteBatch, placeholders, rowsOf } from '../personal-data.js';

type Row = Record<string, unknown>;

/** The event id a broadcast's conversation events carry: `broadcast:<id>` (one per conversation). */
export function broadcastEventId(id: number): string {
  return `broadcast:${id}`;
}

/** Broadcasts and their recipients in SQL. */
export class SqlBroadcastRepository implements BroadcastRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  private q<R = Row>(text: string, params: unknown[] = []) {
    return sql<R>(this.m, this.kind, text, params);
  }

  async create(b: Omit<Broadcast, 'id' | 'createdAt'>, now: Date) {
    const at = now.getTime();
    const { rows } = await this.q<{ id: unknown }>(
      `INSERT INTO broadcasts (kind, subject_id, event, districts, topic, capped, created_at, progress_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        b.kind,
        b.subjectId,
        JSON.stringify(b.event),
        JSON.stringify(b.districts),
        b.topic,
        b.capped ? 1 : 0,
        at,
        at,
      ],
    );
    const id = num(rows[0]?.id);
    // One statement for every subscriber: a resident subscribed to two of the districts gets it once.
    await this.q(
      `INSERT INTO broadcast_deliveries (broadcast_id, conversation_key, channel, user_id, status, capped, created_at)
       SELECT ?, conversation_key, MIN(channel), MIN(user_id), 'queued', ?, ?
       FROM participation_subscriptions
       WHERE district_id IN (${placeholders(b.districts)}) ${b.topic === null ? '' : `AND (topic = '' OR topic = ?)`}
       GROUP BY conversation_key ORDER BY conversation_key`,
      [id, b.capped ? 1 : 0, at, ...b.districts, ...(b.topic === null ? [] : [b.topic])],
    );
    const { rows: channels } = await this.q<{ channel: string; n: unknown }>(
      `SELECT channel, COUNT(*) AS n FROM broadcast_deliveries WHERE broadcast_id = ? GROUP BY channel`,
      [id],
    );
    return { id, channels: Object.fromEntries(channels.map((r) => [r.channel, num(r.n)])) };
  }

  async get(id: number): Promise<Broadcast | null> {
    const { rows } = await this.q(`SELECT * FROM broadcasts WHERE id = ?`, [id]);
    const row = rows[0];
    if (!row) return null;
    return {
      id: num(row.id),
      kind: String(row.kind),
      subjectId: String(row.subject_id),
      event: JSON.parse(String(row.event)) as Broadcast['event'],
      districts: JSON.parse(String(row.districts)) as string[],
      topic: typeof row.topic === 'string' ? row.topic : null,
      capped: num(row.capped) === 1,
      createdAt: new Date(num(row.created_at)),
    };
  }

  async nextQueued(
    broadcastId: number,
    channel: string,
    limit: number,
  ): Promise<(BroadcastRecipient & { claimed: boolean })[]> {
    const { rows } = await this.q(
      `SELECT id, conversation_key, channel, user_id, status FROM broadcast_deliveries
       WHERE broadcast_id = ? AND channel = ? AND status IN ('telling', 'queued')
       ORDER BY CASE status WHEN 'telling' THEN 0 ELSE 1 END, id LIMIT ?`,
      [broadcastId, channel, limit],
    );
    return rows.map((r) => ({
      id: num(r.id),
      conversationKey: String(r.conversation_key),
      channel: String(r.channel),
      userId: String(r.user_id),
      claimed: r.status === 'telling',
    }));
  }

  async lockResidents(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    if (this.kind === 'postgres') {
      // One lock per resident, taken in one order by every transaction: no deadlock between batches.
      await this.q(
        `SELECT pg_advisory_xact_lock(h) FROM (
           SELECT DISTINCT hashtextextended('broadcast-week:' || k, 0) AS h FROM unnest(?::text[]) AS k ORDER BY h
         ) AS locks`,
        [[...keys]],
      );
      return;
    }
    // SQLite: a write first makes this the one write transaction of the file (other processes wait),
    // so no one counts between our count and our claim.
    await this.q(`UPDATE broadcast_deliveries SET status = status WHERE id = -1`);
  }

  async mark(ids: readonly number[], status: Exclude<DeliveryStatus, 'queued'>, now: Date): Promise<void> {
    if (ids.length === 0) return;
    const { rows } = await this.q<{ broadcast_id: unknown }>(
      `UPDATE broadcast_deliveries SET status = ?, done_at = ? WHERE id IN (${placeholders(ids)}) RETURNING broadcast_id`,
      [status, now.getTime(), ...ids],
    );
    const broadcasts = [...new Set(rows.map((r) => num(r.broadcast_id)))];
    if (broadcasts.length)
      await this.q(`UPDATE broadcasts SET progress_at = ? WHERE id IN (${placeholders(broadcasts)})`, [
        now.getTime(),
        ...broadcasts,
      ]);
  }

  async recentCounts(keys: readonly string[], since: Date, except: number): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const { rows } = await this.q<{ conversation_key: string; n: unknown }>(
      `SELECT conversation_key, COUNT(*) AS n FROM broadcast_deliveries
       WHERE conversation_key IN (${placeholders(keys)}) AND done_at >= ? AND capped = 1
         AND status IN ('sent', 'held', 'telling') AND broadcast_id <> ?
       GROUP BY conversation_key`,
      [...keys, since.getTime(), except],
    );
    return new Map(rows.map((r) => [r.conversation_key, num(r.n)]));
  }

  async lastWrote(keys: readonly string[]): Promise<Map<string, Date>> {
    if (keys.length === 0) return new Map();
    const { rows } = await this.q<{ conversation_key: string; at: unknown }>(
      `SELECT conversation_key, MAX(received_at) AS at FROM inbound
       WHERE conversation_key IN (${placeholders(keys)}) AND kind = 'message' GROUP BY conversation_key`,
      [...keys],
    );
    return new Map(rows.map((r) => [r.conversation_key, new Date(num(r.at))]));
  }

  async stalled(before: Date): Promise<{ id: number; channel: string }[]> {
    const { rows } = await this.q<{ id: unknown; channel: string }>(
      `SELECT DISTINCT b.id, d.channel FROM broadcasts b JOIN broadcast_deliveries d ON d.broadcast_id = b.id
       WHERE b.progress_at < ? AND d.status IN ('queued', 'telling') ORDER BY b.id LIMIT 100`,
      [before.getTime()],
    );
    return rows.map((r) => ({ id: num(r.id), channel: r.channel }));
  }

  async counts(broadcastId: number): Promise<BroadcastCounts> {
    const { rows } = await this.q<{ status: DeliveryStatus; channel: string; n: unknown }>(
      `SELECT status, channel, COUNT(*) AS n FROM broadcast_deliveries WHERE broadcast_id = ? GROUP BY status, channel`,
      [broadcastId],
    );
    const byStatus: BroadcastCounts['byStatus'] = { queued: 0, sent: 0, held: 0, capped: 0 };
    const byChannel: Record<string, number> = {};
    let recipients = 0;
    for (const r of rows) {
      const n = num(r.n);
      recipients += n;
      // Being told is still on its way: counted as queued.
      const status = r.status === 'telling' ? 'queued' : r.status;
      byStatus[status] = (byStatus[status] ?? 0) + n;
      byChannel[r.channel] = (byChannel[r.channel] ?? 0) + n;
    }
    // The channels' own news of the messages the conversations sent (WhatsApp acks, Cloud API statuses).
    const { rows: acks } = await this.q<{ state: string | null; n: unknown }>(
      `SELECT o.delivery_state AS state, COUNT(*) AS n FROM inbound i JOIN outbox o ON o.cause_id = i.id
       WHERE i.dedupe_key LIKE ? AND i.kind = 'event' AND o.kind = 'message' AND o.status = 'sent'
       GROUP BY o.delivery_state`,
      [`event:${broadcastEventId(broadcastId)}:%`],
    );
    const ack = (state: string) => num(acks.find((a) => a.state === state)?.n ?? 0);
    return {
      recipients,
      byStatus,
      accepted: ack('sent') + ack('delivered') + ack('read') + ack('unconfirmed'),
      delivered: ack('delivered') + ack('read'),
      read: ack('read'),
      templates: ack('template'),
      byChannel,
    };
  }

  purge(batch: PurgeBatch): Promise<number> {
    const select = `SELECT id FROM broadcast_deliveries WHERE created_at < ? ORDER BY id`;
    return deleteBatch(
      this.m,
      this.kind,
      'broadcast_deliveries',
      'id',
      select,
      [batch.before.getTime()],
      batch,
    );
  }

  async personalData(subject: DataSubject): Promise<StoredRows> {
    return {
      broadcast_deliveries: await rowsOf(this.m, this.kind, 'broadcast_deliveries', `conversation_key = ?`, [
        subject.key,
      ]),
    };
  }

  async erasePersonalData(subject: DataSubject): Promise<Counts> {
    const { affected } = await this.q(`DELETE FROM broadcast_deliveries WHERE conversation_key = ?`, [
      subject.key,
    ]);
    return { broadcast_deliveries: affected };
  }
}
