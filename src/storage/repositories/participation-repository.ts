import type { EntityManager } from 'typeorm';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from '../../ports/personal-data.js';
import type {
  Level,
  ParticipationRepository,
  ProjectUpdate,
  Subscription,
} from '../../ports/participation-repository.js';
import { num, sql } from '../sql.js';
import { deleteBatch, rowsOf } from '../personal-data.js';

type Row = Record<string, unknown>;

/** Subscriptions and project updates in SQL. */
export class SqlParticipationRepository implements ParticipationRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  private q<R = Row>(text: string, params: unknown[] = []) {
    return sql<R>(this.m, this.kind, text, params);
  }

  async subscribe(s: Subscription): Promise<void> {
    await this.q(
      `INSERT INTO participation_subscriptions (conversation_key, district_id, topic, channel, user_id, consented_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (conversation_key, district_id, topic) DO UPDATE SET consented_at = excluded.consented_at`,
      [
        s.conversationKey,
        s.districtId,
        s.topic ?? '',
        s.address.channel,
        s.address.userId,
        s.consentedAt.getTime(),
      ],
    );
  }

  async unsubscribe(key: string, districtId?: string): Promise<number> {
    const { affected } = await this.q(
      `DELETE FROM participation_subscriptions WHERE conversation_key = ?${districtId ? ' AND district_id = ?' : ''}`,
      districtId ? [key, districtId] : [key],
    );
    return affected;
  }

  async subscriptionsOf(key: string): Promise<Subscription[]> {
    const { rows } = await this.q(
      `SELECT * FROM participation_subscriptions WHERE conversation_key = ? ORDER BY district_id, topic`,
      [key],
    );
    return rows.map((r) => ({
      conversationKey: String(r.conversation_key),
      address: { channel: String(r.channel), userId: String(r.user_id) },
      districtId: String(r.district_id),
      topic: typeof r.topic === 'string' && r.topic !== '' ? r.topic : null,
      consentedAt: new Date(num(r.consented_at)),
    }));
  }

  async addUpdate(u: Omit<ProjectUpdate, 'id' | 'createdAt' | 'broadcastId'>, now: Date): Promise<number> {
    const { rows } = await this.q<{ id: unknown }>(
      `INSERT INTO participation_updates
         (title, body, link, districts, topic, level, influence, until_date, author, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        u.title,
        u.text,
        u.link,
        JSON.stringify(u.districts),
        u.topic,
        u.level,
        u.influence,
        u.until,
        u.author,
        now.getTime(),
      ],
    );
    return num(rows[0]?.id);
  }

  async setBroadcast(updateId: number, broadcastId: number): Promise<void> {
    await this.q(`UPDATE participation_updates SET broadcast_id = ? WHERE id = ?`, [broadcastId, updateId]);
  }

  async getUpdate(id: number): Promise<ProjectUpdate | null> {
    const { rows } = await this.q(`SELECT * FROM participation_updates WHERE id = ?`, [id]);
    return rows[0] ? toUpdate(rows[0]) : null;
  }

  async listUpdates(limit: number, districts?: readonly string[]): Promise<ProjectUpdate[]> {
    const { rows } = await this.q(`SELECT * FROM participation_updates ORDER BY id DESC LIMIT ?`, [
      districts ? limit * 10 : limit,
    ]);
    const all = rows.map(toUpdate);
    return (districts ? all.filter((u) => u.districts.some((d) => districts.includes(d))) : all).slice(
      0,
      limit,
    );
  }

  purge(batch: PurgeBatch): Promise<number> {
    const select = `SELECT conversation_key FROM participation_subscriptions WHERE consented_at < ? ORDER BY conversation_key`;
    return deleteBatch(
      this.m,
      this.kind,
      'participation_subscriptions',
      'conversation_key',
      select,
      [batch.before.getTime()],
      batch,
    );
  }

  async personalData(subject: DataSubject): Promise<StoredRows> {
    return {
      participation_subscriptions: await rowsOf(
        this.m,
        this.kind,
        'participation_subscriptions',
        `conversation_key = ?`,
        [subject.key],
      ),
    };
  }

  async erasePersonalData(subject: DataSubject): Promise<Counts> {
    return { participation_subscriptions: await this.unsubscribe(subject.key) };
  }
}

function toUpdate(r: Row): ProjectUpdate {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    id: num(r.id),
    title: String(r.title),
    text: String(r.body),
    link: text(r.link),
    districts: JSON.parse(String(r.districts)) as string[],
    topic: text(r.topic),
    level: String(r.level) as Level,
    influence: text(r.influence),
    until: text(r.until_date),
    author: String(r.author),
    createdAt: new Date(num(r.created_at)),
    broadcastId: r.broadcast_id === null || r.broadcast_id === undefined ? null : num(r.broadcast_id),
  };
}
