import type { EntityManager } from 'typeorm';
import type { HeldMessage, HeldMessageRepository, NoticeCause } from '../../ports/held-message-repository.js';
import type { Choice } from '../../ports/messages.js';
import { conversationKey, type Address } from '../../shared/address.js';
import { num, sql } from '../sql.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from '../../ports/personal-data.js';
import { deleteBatch, rowsOf } from '../personal-data.js';

/** Held messages, and the window facts read from the inbound log and the outbox. */
export class SqlHeldMessageRepository implements HeldMessageRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  async hold(item: Parameters<HeldMessageRepository['hold']>[0]): Promise<void> {
    await sql(
      this.m,
      this.kind,
      `INSERT INTO held_messages (channel, user_id, outbox_id, body, held_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (outbox_id) DO NOTHING`,
      [
        item.to.channel,
        item.to.userId,
        item.outboxId,
        JSON.stringify({ text: item.text, choices: item.choices }),
        item.now.getTime(),
      ],
    );
  }

  async heldFor(address: Address, limit: number): Promise<HeldMessage[]> {
    const { rows } = await sql<{ id: unknown; outbox_id: unknown; body: string; held_at: unknown }>(
      this.m,
      this.kind,
      `SELECT id, outbox_id, body, held_at FROM held_messages WHERE channel = ? AND user_id = ? ORDER BY id LIMIT ?`,
      [address.channel, address.userId, limit],
    );
    return rows.map((row) => {
      const body = JSON.parse(row.body) as { text: string; choices?: Choice[] };
      return {
        id: num(row.id),
        outboxId: row.outbox_id === null ? null : num(row.outbox_id),
        to: address,
        text: body.text,
        ...(body.choices?.length ? { choices: body.choices } : {}),
        heldAt: new Date(num(row.held_at)),
      };
    });
  }

  async release(id: number): Promise<void> {
    await sql(this.m, this.kind, `DELETE FROM held_messages WHERE id = ?`, [id]);
  }

  async lastMessageAt(address: Address): Promise<Date | null> {
    const { rows } = await sql<{ at: unknown }>(
      this.m,
      this.kind,
      `SELECT MAX(received_at) AS at FROM inbound WHERE conversation_key = ? AND kind = 'message'`,
      [conversationKey(address)],
    );
    const at = rows[0]?.at;
    return at === null || at === undefined ? null : new Date(num(at));
  }

  async noticeOf(outboxId: number): Promise<NoticeCause | null> {
    const { rows } = await sql<{ event: string | null }>(
      this.m,
      this.kind,
      `SELECT i.event FROM outbox o JOIN inbound i ON i.id = o.cause_id WHERE o.id = ? AND i.kind = 'event'`,
      [outboxId],
    );
    const event = rows[0]?.event;
    if (!event) return null;
    const parsed = JSON.parse(event) as { name?: unknown; payload?: unknown };
    if (typeof parsed.name !== 'string') return null;
    const payload =
      typeof parsed.payload === 'object' && parsed.payload !== null
        ? (parsed.payload as Record<string, unknown>)
        : {};
    return { name: parsed.name, payload };
  }

  purge(batch: PurgeBatch): Promise<number> {
    const select = `SELECT id FROM held_messages WHERE held_at < ? ORDER BY id`;
    return deleteBatch(this.m, this.kind, 'held_messages', 'id', select, [batch.before.getTime()], batch);
  }

  async personalData(subject: DataSubject): Promise<StoredRows> {
    const { channel, userId } = subject.address;
    const where = 'channel = ? AND user_id = ? ORDER BY id';
    return { held_messages: await rowsOf(this.m, this.kind, 'held_messages', where, [channel, userId]) };
  }

  async erasePersonalData(subject: DataSubject): Promise<Counts> {
    const { channel, userId } = subject.address;
    const sqlText = `DELETE FROM held_messages WHERE channel = ? AND user_id = ?`;
    return { held_messages: (await sql(this.m, this.kind, sqlText, [channel, userId])).affected };
  }
}
