import type { EntityManager } from 'typeorm';
import type { WebcareRepository, WebcareRequest, Withdrawal } from '../../ports/webcare-repository.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from '../../ports/personal-data.js';
import { num, sql } from '../sql.js';
import { deleteBatch, rowsOf } from '../personal-data.js';

type Row = Record<string, unknown>;

/**
 * Only requests of conversations that still wait for a person (a resident who typed "menu" left), and
 * not a waiting one the resident withdrew ("laat maar"); a takeover they withdrew stays its operator's.
 */
const STILL_WAITING = `EXISTS (SELECT 1 FROM conversations c WHERE c.key = w.conversation_key AND c.needs_human = 1)
  AND (w.withdrawn_at IS NULL OR w.operator_id IS NOT NULL)`;

/** The webcare queue in SQL. */
export class SqlWebcareRepository implements WebcareRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  private q<R = Row>(text: string, params: unknown[] = []) {
    return sql<R>(this.m, this.kind, text, params);
  }

  async request(item: Parameters<WebcareRepository['request']>[0]): Promise<void> {
    await this.q(
      `INSERT INTO webcare_requests (conversation_key, channel, user_id, promise, closed, asked_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (conversation_key) DO UPDATE SET promise = excluded.promise, closed = excluded.closed,
         asked_at = excluded.asked_at, operator_id = NULL, taken_at = NULL, active_at = NULL, released_from = NULL,
         withdrawn_at = NULL`,
      [
        item.key,
        item.address.channel,
        item.address.userId,
        item.promise,
        item.closed ? 1 : 0,
        item.now.getTime(),
      ],
    );
  }

  async open(limit: number): Promise<WebcareRequest[]> {
    const { rows } = await this.q(
      `SELECT * FROM webcare_requests w WHERE ${STILL_WAITING} ORDER BY w.asked_at, w.conversation_key LIMIT ?`,
      [limit],
    );
    return rows.map(toRequest);
  }

  async get(key: string): Promise<WebcareRequest | null> {
    const { rows } = await this.q(
      `SELECT * FROM webcare_requests w WHERE w.conversation_key = ? AND ${STILL_WAITING}`,
      [key],
    );
    return rows[0] ? toRequest(rows[0]) : null;
  }

  async withdraw(key: string, now: Date): Promise<Withdrawal> {
    // Each one statement on the row: of a withdrawal and a take racing, the database lets one go
    // first, and the other sees what it did (a take finds the request withdrawn, or the withdrawal
    // finds it taken).
    const waiting = await this.q(
      `UPDATE webcare_requests SET withdrawn_at = ? WHERE conversation_key = ? AND operator_id IS NULL`,
      [now.getTime(), key],
    );
    if (waiting.affected > 0) return 'waiting';
    const taken = await this.q(
      `UPDATE webcare_requests SET withdrawn_at = ? WHERE conversation_key = ? AND operator_id IS NOT NULL`,
      [now.getTime(), key],
    );
    return taken.affected > 0 ? 'taken' : 'none';
  }

  async withdrawnWaiting(since: Date, limit: number): Promise<string[]> {
    const { rows } = await this.q(
      `SELECT conversation_key FROM webcare_requests
       WHERE operator_id IS NULL AND withdrawn_at >= ? ORDER BY withdrawn_at DESC, conversation_key LIMIT ?`,
      [since.getTime(), limit],
    );
    return rows.map((row) => String(row.conversation_key));
  }

  async take(key: string, operatorId: string, now: Date): Promise<boolean> {
    // One statement: of two operators racing, the database lets exactly one update the row.
    const { affected } = await this.q(
      `UPDATE webcare_requests SET operator_id = ?, taken_at = ?, active_at = ?, released_from = NULL
       WHERE conversation_key = ? AND operator_id IS NULL AND withdrawn_at IS NULL
         AND EXISTS (SELECT 1 FROM conversations c WHERE c.key = webcare_requests.conversation_key AND c.needs_human = 1)`,
      [operatorId, now.getTime(), now.getTime(), key],
    );
    return affected > 0;
  }

  async touch(key: string, operatorId: string, now: Date): Promise<boolean> {
    const { affected } = await this.q(
      `UPDATE webcare_requests SET active_at = ?
       WHERE conversation_key = ? AND operator_id = ?
         AND EXISTS (SELECT 1 FROM conversations c WHERE c.key = webcare_requests.conversation_key AND c.needs_human = 1)`,
      [now.getTime(), key, operatorId],
    );
    return affected > 0;
  }

  async finish(key: string, operatorId: string): Promise<boolean> {
    const { affected } = await this.q(
      `DELETE FROM webcare_requests WHERE conversation_key = ? AND operator_id = ?`,
      [key, operatorId],
    );
    return affected > 0;
  }

  async releaseIdle(before: Date): Promise<WebcareRequest[]> {
    const { rows } = await this.q(
      `SELECT * FROM webcare_requests WHERE operator_id IS NOT NULL AND active_at < ? ORDER BY active_at`,
      [before.getTime()],
    );
    const released: WebcareRequest[] = [];
    for (const row of rows) {
      const request = toRequest(row);
      // Only if nothing changed since the read (the operator did not reply meanwhile). A request the
      // resident withdrew ends: back in the queue nobody would wait for it.
      const { affected } = await this.q(
        request.withdrawnAt
          ? `DELETE FROM webcare_requests WHERE conversation_key = ? AND operator_id = ? AND active_at = ?`
          : `UPDATE webcare_requests SET operator_id = NULL, taken_at = NULL, active_at = NULL, released_from = ?
             WHERE conversation_key = ? AND operator_id = ? AND active_at = ?`,
        [
          ...(request.withdrawnAt ? [] : [request.operatorId]),
          request.conversationKey,
          request.operatorId,
          num(row.active_at),
        ],
      );
      if (affected > 0) released.push(request);
    }
    return released;
  }

  async clearNotices(operatorId: string): Promise<void> {
    await this.q(`UPDATE webcare_requests SET released_from = NULL WHERE released_from = ?`, [operatorId]);
  }

  purge(batch: PurgeBatch): Promise<number> {
    const select = `SELECT conversation_key FROM webcare_requests WHERE asked_at < ? ORDER BY conversation_key`;
    return deleteBatch(
      this.m,
      this.kind,
      'webcare_requests',
      'conversation_key',
      select,
      [batch.before.getTime()],
      batch,
    );
  }

  async personalData(subject: DataSubject): Promise<StoredRows> {
    return {
      webcare_requests: await rowsOf(this.m, this.kind, 'webcare_requests', `conversation_key = ?`, [
        subject.key,
      ]),
    };
  }

  async erasePersonalData(subject: DataSubject): Promise<Counts> {
    const { affected } = await this.q(`DELETE FROM webcare_requests WHERE conversation_key = ?`, [
      subject.key,
    ]);
    return { webcare_requests: affected };
  }
}

function toRequest(row: Row): WebcareRequest {
  const at = (value: unknown) => (value === null || value === undefined ? null : new Date(num(value)));
  return {
    conversationKey: String(row.conversation_key),
    address: { channel: String(row.channel), userId: String(row.user_id) },
    askedAt: new Date(num(row.asked_at)),
    promise: String(row.promise),
    closed: num(row.closed) === 1,
    operatorId: typeof row.operator_id === 'string' ? row.operator_id : null,
    takenAt: at(row.taken_at),
    activeAt: at(row.active_at),
    releasedFrom: typeof row.released_from === 'string' ? row.released_from : null,
    withdrawnAt: at(row.withdrawn_at),
  };
}
