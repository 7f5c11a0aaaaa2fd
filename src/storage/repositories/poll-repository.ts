import type { EntityManager } from 'typeorm';
import type { Poll, PollAnswer, PollCount, PollRepository } from '../../ports/poll-repository.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from '../../ports/personal-data.js';
import { conversationKey, type Address } from '../../shared/address.js';
import { num, sql } from '../sql.js';
import { rowsOf } from '../personal-data.js';

type Row = Record<string, unknown>;

/** Polls and answers in SQL. */
export class SqlPollRepository implements PollRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  private q<R = Row>(text: string, params: unknown[] = []) {
    return sql<R>(this.m, this.kind, text, params);
  }

  async insert(p: Poll): Promise<void> {
    await this.q(
      `INSERT INTO polls (id, question, options, scale, districts, follow_up, opens_at, closes_at, closed_at,
         outcome, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        p.id,
        p.question,
        JSON.stringify(p.options),
        p.scale ? 1 : 0,
        JSON.stringify(p.districts),
        p.followUp,
        p.opensAt.getTime(),
        p.closesAt?.getTime() ?? null,
        p.closedAt?.getTime() ?? null,
        p.outcome,
        p.createdBy,
        p.createdAt.getTime(),
      ],
    );
  }

  async get(id: string): Promise<Poll | null> {
    const { rows } = await this.q(`SELECT * FROM polls WHERE id = ?`, [id]);
    return rows[0] ? toPoll(rows[0]) : null;
  }

  async list(limit: number): Promise<Poll[]> {
    const { rows } = await this.q(`SELECT * FROM polls ORDER BY created_at DESC, id LIMIT ?`, [limit]);
    return rows.map(toPoll);
  }

  async openFor(districtId: string, now: Date): Promise<Poll[]> {
    const { rows } = await this.q(
      `SELECT * FROM polls WHERE closed_at IS NULL AND opens_at <= ? AND (closes_at IS NULL OR closes_at > ?)
       ORDER BY opens_at, id`,
      [now.getTime(), now.getTime()],
    );
    // A handful of open polls at a time: the district is picked out here, on both databases alike.
    return rows.map(toPoll).filter((p) => p.districts.includes(districtId));
  }

  async due(now: Date): Promise<Poll[]> {
    const { rows } = await this.q(
      `SELECT * FROM polls WHERE closed_at IS NULL AND closes_at IS NOT NULL AND closes_at <= ? ORDER BY closes_at`,
      [now.getTime()],
    );
    return rows.map(toPoll);
  }

  async close(id: string, outcome: string, now: Date, atEnd = false): Promise<boolean> {
    // One statement: of two staff closing at once, one closes it and the other hears it was closed;
    // a closing at the end date loses to a move of that date that came first.
    const due = atEnd ? ` AND closes_at IS NOT NULL AND closes_at <= ?` : '';
    const { affected } = await this.q(
      `UPDATE polls SET closed_at = ?, outcome = ? WHERE id = ? AND closed_at IS NULL${due}`,
      [now.getTime(), outcome, id, ...(atEnd ? [now.getTime()] : [])],
    );
    return affected > 0;
  }

  async setOutcome(id: string, outcome: string, version: number): Promise<boolean> {
    const { affected } = await this.q(
      `UPDATE polls SET outcome = ?, outcome_version = outcome_version + 1
       WHERE id = ? AND closed_at IS NOT NULL AND outcome_version = ?`,
      [outcome, id, version],
    );
    return affected > 0;
  }

  async moveEnd(id: string, closesAt: Date, now: Date): Promise<boolean> {
    // One statement: a closing (staff, the end date's job, a sweep) that came first wins.
    const { affected } = await this.q(
      `UPDATE polls SET closes_at = ? WHERE id = ? AND closed_at IS NULL AND (closes_at IS NULL OR closes_at > ?)`,
      [closesAt.getTime(), id, now.getTime()],
    );
    return affected > 0;
  }

  async answer(a: Omit<PollAnswer, 'followUp'>): Promise<void> {
    await this.q(
      `INSERT INTO poll_answers (poll_id, conversation_key, channel, user_id, district_id, choice, answered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (poll_id, conversation_key) DO UPDATE SET district_id = excluded.district_id,
         choice = excluded.choice, answered_at = excluded.answered_at`,
      [
        a.pollId,
        conversationKey(a.address),
        a.address.channel,
        a.address.userId,
        a.districtId,
        a.choice,
        a.answeredAt.getTime(),
      ],
    );
  }

  async followUp(pollId: string, address: Address, text: string): Promise<boolean> {
    const { affected } = await this.q(
      `UPDATE poll_answers SET follow_up = ? WHERE poll_id = ? AND conversation_key = ?`,
      [text, pollId, conversationKey(address)],
    );
    return affected > 0;
  }

  async answerOf(pollId: string, address: Address): Promise<PollAnswer | null> {
    const { rows } = await this.q(`SELECT * FROM poll_answers WHERE poll_id = ? AND conversation_key = ?`, [
      pollId,
      conversationKey(address),
    ]);
    return rows[0] ? toAnswer(rows[0]) : null;
  }

  async counts(pollId: string): Promise<PollCount[]> {
    const { rows } = await this.q(
      `SELECT district_id, choice, COUNT(*) AS n FROM poll_answers WHERE poll_id = ?
       GROUP BY district_id, choice ORDER BY district_id, choice`,
      [pollId],
    );
    return rows.map((r) => ({ districtId: String(r.district_id), choice: num(r.choice), count: num(r.n) }));
  }

  async followUps(pollId: string): Promise<{ districtId: string; text: string }[]> {
    const { rows } = await this.q(
      `SELECT district_id, follow_up FROM poll_answers WHERE poll_id = ? AND follow_up IS NOT NULL
       ORDER BY answered_at, conversation_key`,
      [pollId],
    );
    return rows.map((r) => ({ districtId: String(r.district_id), text: String(r.follow_up) }));
  }

  async answerers(pollId: string): Promise<Address[]> {
    const { rows } = await this.q(
      `SELECT channel, user_id FROM poll_answers WHERE poll_id = ? ORDER BY conversation_key`,
      [pollId],
    );
    return rows.map((r) => ({ channel: String(r.channel), userId: String(r.user_id) }));
  }

  async purge(batch: PurgeBatch): Promise<number> {
    const before = batch.before.getTime();
    if (batch.dryRun) {
      const { rows } = await this.q(`SELECT COUNT(*) AS n FROM poll_answers WHERE answered_at < ?`, [before]);
      return num(rows[0]?.n ?? 0);
    }
    // By the whole key: a resident's newer answers to other polls stay.
    const { affected } = await this.q(
      `DELETE FROM poll_answers WHERE (poll_id, conversation_key) IN (
         SELECT poll_id, conversation_key FROM poll_answers WHERE answered_at < ?
         ORDER BY poll_id, conversation_key LIMIT ?)`,
      [before, batch.limit],
    );
    return affected;
  }

  async personalData(subject: DataSubject): Promise<StoredRows> {
    return {
      poll_answers: await rowsOf(this.m, this.kind, 'poll_answers', `conversation_key = ?`, [subject.key]),
    };
  }

  async erasePersonalData(subject: DataSubject): Promise<Counts> {
    const { affected } = await this.q(`DELETE FROM poll_answers WHERE conversation_key = ?`, [subject.key]);
    return { poll_answers: affected };
  }
}

function list(value: unknown): string[] {
  const parsed = JSON.parse(String(value)) as unknown;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

function toPoll(row: Row): Poll {
  const at = (value: unknown) => (value === null || value === undefined ? null : new Date(num(value)));
  return {
    id: String(row.id),
    question: String(row.question),
    options: list(row.options),
    scale: num(row.scale) === 1,
    districts: list(row.districts),
    followUp: typeof row.follow_up === 'string' ? row.follow_up : null,
    opensAt: new Date(num(row.opens_at)),
    closesAt: at(row.closes_at),
    closedAt: at(row.closed_at),
    outcome: typeof row.outcome === 'string' ? row.outcome : null,
    outcomeVersion: num(row.outcome_version ?? 0),
    createdBy: String(row.created_by),
    createdAt: new Date(num(row.created_at)),
  };
}

function toAnswer(row: Row): PollAnswer {
  return {
    pollId: String(row.poll_id),
    address: { channel: String(row.channel), userId: String(row.user_id) },
    districtId: String(row.district_id),
    choice: num(row.choice),
    followUp: typeof row.follow_up === 'string' ? row.follow_up : null,
    answeredAt: new Date(num(row.answered_at)),
  };
}
