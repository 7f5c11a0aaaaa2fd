import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { In, LessThan, Not } from '../typeorm.js';
import type {
  Assignee,
  AssigneeType,
  Case,
  CaseEvent,
  CaseEventType,
  CaseStatus,
  InboxPage,
  InboxQuery,
  NewCaseEvent,
  ProposalDetails,
  ProposalStage,
  ReferenceNumbering,
  CaseChanges,
  CaseRepository,
} from '../../ports/case-repository.js';
import { CaseEntity, type CaseRow } from '../entities/case.js';
import { byteOrder, dateParam, sql } from '../sql.js';
import { caseInbox } from './case-inbox.js';
import { nextCaseNumber, withCaseSequence } from './case-numbers.js';
import { numberedCaseParameters, numberedCaseSql, numberedReference } from './numbered-case.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from '../../ports/personal-data.js';
import { placeholders, rowsOf } from '../personal-data.js';
import { CaseEventEntity, type CaseEventRow } from '../entities/case-event.js';

/** The resident key of a case whose resident is no longer known (retention, erasure). */
const ANONYMOUS = 'anonymous';

/** The TypeORM CaseRepository, bound to one entity manager (a transaction's or the plain one). */
export class SqlCaseRepository implements CaseRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  async nextNumber(prefix: string, year: number): Promise<number> {
    return nextCaseNumber(this.manager, this.kind, prefix, year);
  }

  async insertIfNew(c: Case, first?: NewCaseEvent): Promise<boolean> {
    // Raw SQL with RETURNING, not the query builder: one statement tells whether this row went in
    // (the builder needs a second SELECT for that, and on SQLite a third to reload defaults).
    // ON CONFLICT DO NOTHING instead of catching the unique violation: on PostgreSQL a failed
    // statement aborts the whole transaction, and the caller may well be inside one.
    const row = toRow(c);
    const columns = Object.keys(row) as (keyof CaseRow)[];
    const values = columns.map((column) => this.param(row[column]));
    const insert = `INSERT INTO cases (${columns.join(', ')}) VALUES (${placeholders(values)})
       ON CONFLICT DO NOTHING RETURNING id`;
    if (first && this.kind === 'postgres') {
      // The event rides on the insert: one round trip less, and the case's row is held one round
      // trip shorter before the commit.
      const { rows } = await sql<{ case_id: string }>(
        this.manager,
        this.kind,
        `WITH c AS (${insert})
         INSERT INTO case_events (case_id, at, actor, type, detail)
         SELECT id, ?::timestamptz, ?, ?, ? FROM c RETURNING case_id`,
        [...values, ...eventValues(first)],
      );
      return rows[0]?.case_id === c.id;
    }
    const { rows } = await sql<{ id: string }>(this.manager, this.kind, insert, values);
    if (rows[0]?.id !== c.id) return false;
    if (first) await this.addEvent(first);
    return true;
  }

  async insertNumbered(c: Case, numbering: ReferenceNumbering, first?: NewCaseEvent): Promise<string | null> {
    if (this.kind === 'postgres') {
      // Number, case and event in one statement: one round trip instead of two.
      const stored = await this.insertNumberedOnPostgres(c, numbering, first);
      if (stored !== undefined) return stored;
      // The first case of (prefix, year) in this schema: its sequence is made, then the same again.
      return withCaseSequence(this.manager, numbering.prefix, numbering.year, async (m) => {
        const again = await new SqlCaseRepository(m, this.kind).insertNumberedOnPostgres(c, numbering, first);
        if (again === undefined)
          throw new Error(`no case number sequence for ${numbering.prefix}-${numbering.year}`);
        return again;
      });
    }
    const reference = numberedReference(numbering, await this.nextNumber(numbering.prefix, numbering.year));
    const event = first && { ...first, detail: { ...first.detail, reference } };
    return (await this.insertIfNew({ ...c, reference }, event)) ? reference : null;
  }

  /** The reference stored, null when the key is used, undefined when (prefix, year) has no sequence yet. */
  private async insertNumberedOnPostgres(
    c: Case,
    numbering: ReferenceNumbering,
    first?: NewCaseEvent,
  ): Promise<string | null | undefined> {
    const row = toRow(c);
    const columns = Object.keys(row) as (keyof CaseRow)[];
    const values = columns.filter((column) => column !== 'reference').map((column) => row[column]);
    const { rows } = await sql<{ value: string | null; reference: string | null }>(
      this.manager,
      this.kind,
      numberedCaseSql(columns, first !== undefined),
      numberedCaseParameters(numbering, values, first),
    );
    const result = rows[0];
    if (!result || result.value === null) return undefined;
    return result.reference;
  }

  async findById(id: string): Promise<Case | null> {
    return this.findOne({ id });
  }

  async findByReference(reference: string): Promise<Case | null> {
    return this.findOne({ reference });
  }

  async findByIdempotencyKey(key: string): Promise<Case | null> {
    return this.findOne({ idempotency_key: key });
  }

  async update(
    id: string,
    expected: { status: CaseStatus; escalated?: boolean },
    changes: CaseChanges,
    event?: NewCaseEvent,
  ): Promise<boolean> {
    const row = changesToRow(changes);
    const columns = Object.keys(row) as (keyof CaseRow)[];
    if (columns.length === 0) throw new RangeError(`an update of case ${id} without changes`);
    const where = expected.escalated === undefined ? '' : ' AND escalated = ?';
    const update = `UPDATE cases SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND status = ?${where}`;
    const values = [
      ...columns.map((c) => this.param(row[c])),
      id,
      expected.status,
      ...(expected.escalated === undefined ? [] : [expected.escalated]),
    ];
    if (event && this.kind === 'postgres') {
      // The event rides on the change, as on insertIfNew: one round trip less for every command.
      const { rows } = await sql<{ case_id: string }>(
        this.manager,
        this.kind,
        `WITH u AS (${update} RETURNING id)
         INSERT INTO case_events (case_id, at, actor, type, detail)
         SELECT id, ?::timestamptz, ?, ?, ? FROM u RETURNING case_id`,
        [...values, ...eventValues(event)],
      );
      return rows.length > 0;
    }
    const { affected } = await sql(this.manager, this.kind, update, values);
    if (affected > 0 && event) await this.addEvent(event);
    return affected > 0;
  }

  async listForAssignee(type: AssigneeType, id: string, statuses: readonly CaseStatus[]): Promise<Case[]> {
    if (statuses.length === 0) return [];
    const query = this.select()
      .where('c.assignee_type = :type AND c.assignee_id = :id', { type, id })
      .andWhere('c.status IN (:...statuses)', { statuses });
    return this.list(query, 'c.answer_by', 'ASC');
  }

  async listForResident(residentKey: string): Promise<Case[]> {
    const query = this.select()
      .where('c.resident_key = :residentKey', { residentKey })
      .orderBy('c.created_at', 'DESC')
      .addOrderBy(byteOrder(this.kind, 'c.reference'), 'DESC');
    return (await query.getMany()).map(fromRow);
  }

  async listOverdue(now: Date, statuses: readonly CaseStatus[]): Promise<Case[]> {
    if (statuses.length === 0) return [];
    const query = this.select()
      .where('c.status IN (:...statuses)', { statuses })
      .andWhere('c.escalated = :escalated', { escalated: false })
      .andWhere('c.answer_by <= :now', { now });
    return this.list(query, 'c.answer_by', 'ASC');
  }

  async listDueAfter(now: Date, statuses: readonly CaseStatus[], changedSince?: Date): Promise<Case[]> {
    if (statuses.length === 0) return [];
    const query = this.select()
      .where('c.status IN (:...statuses)', { statuses })
      .andWhere('c.answer_by > :now', { now });
    if (changedSince) query.andWhere('c.updated_at >= :changedSince', { changedSince });
    return this.list(query, 'c.answer_by', 'ASC');
  }

  async listUnrouted(createdBefore: Date): Promise<Case[]> {
    const query = this.select()
      .where("c.status = 'new'")
      .andWhere('c.created_at <= :createdBefore', { createdBefore })
      .orderBy('c.created_at', 'ASC')
      .addOrderBy(byteOrder(this.kind, 'c.reference'), 'ASC')
      .take(500);
    return (await query.getMany()).map(fromRow);
  }

  async inbox(query: InboxQuery): Promise<InboxPage> {
    const { rows, total, counts } = await caseInbox(this.manager, query);
    return { cases: rows.map(fromRow), total, counts };
  }

  async addEvent(event: NewCaseEvent): Promise<CaseEvent> {
    const { rows } = await sql<{ id: number | string }>(
      this.manager,
      this.kind,
      `INSERT INTO case_events (case_id, at, actor, type, detail) VALUES (?, ?, ?, ?, ?) RETURNING id`,
      [event.caseId, ...eventValues(event).map((v) => this.param(v))],
    );
    return { ...event, id: Number(rows[0]?.id) };
  }

  async events(caseId: string): Promise<CaseEvent[]> {
    const rows = await this.manager
      .getRepository(CaseEventEntity)
      .find({ where: { case_id: caseId }, order: { id: 'ASC' } });
    return rows.map(eventFromRow);
  }

  private select(): SelectQueryBuilder<CaseRow> {
    return this.manager.getRepository(CaseEntity).createQueryBuilder('c');
  }

  /** Runs a list query ordered by `first`, then creation, then reference: the same order on both databases. */
  private async list(
    query: SelectQueryBuilder<CaseRow>,
    first: string,
    direction: 'ASC' | 'DESC',
  ): Promise<Case[]> {
    const rows = await query
      .orderBy(first, direction)
      .addOrderBy('c.created_at', 'ASC')
      .addOrderBy(byteOrder(this.kind, 'c.reference'), 'ASC')
      .getMany();
    return rows.map(fromRow);
  }

  /** One case by a unique column, in raw SQL: every job and turn about a case reads it this way. */
  private async findOne(
    where: Partial<Pick<CaseRow, 'id' | 'reference' | 'idempotency_key'>>,
  ): Promise<Case | null> {
    const [column, value] = Object.entries(where)[0]!;
    const { rows } = await sql<Record<string, unknown>>(
      this.manager,
      this.kind,
      `SELECT * FROM cases WHERE ${column} = ? LIMIT 1`,
      [value],
    );
    return rows[0] ? fromRow(rawCaseRow(rows[0])) : null;
  }

  /** A value as raw SQL binds it: an instant in the text form TypeORM writes and reads on SQLite. */
  private param(value: unknown): unknown {
    return value instanceof Date ? dateParam(this.kind, value) : value;
  }

  async idsOfResident(residentKey: string): Promise<string[]> {
    const rows = await this.manager.getRepository(CaseEntity).find({
      select: { id: true },
      where: { resident_key: residentKey },
    });
    return rows.map((r) => r.id);
  }

  async anonymiseSettled(batch: PurgeBatch): Promise<{ cases: number; case_events: number }> {
    const where = {
      status: In(['answered', 'closed']),
      updated_at: LessThan(batch.before),
      resident_key: Not(ANONYMOUS),
    };
    const repo = this.manager.getRepository(CaseEntity);
    if (batch.dryRun) {
      const ids = (await repo.find({ select: { id: true }, where })).map((r) => r.id);
      return { cases: ids.length, case_events: await this.countEvents(ids) };
    }
    const rows = await repo.find({
      select: { id: true },
      where,
      order: { updated_at: 'ASC' },
      take: batch.limit,
    });
    return this.anonymise(rows.map((r) => r.id));
  }

  async personalData(subject: DataSubject): Promise<StoredRows> {
    const ids = await this.idsOfResident(subject.key);
    const byCase = `case_id IN (${placeholders(ids)}) ORDER BY id`;
    return {
      cases: await rowsOf(this.manager, this.kind, 'cases', 'resident_key = ?', [subject.key]),
      case_events: await rowsOf(this.manager, this.kind, 'case_events', byCase, ids),
    };
  }

  async erasePersonalData(subject: DataSubject): Promise<Counts> {
    const ids = await this.idsOfResident(subject.key);
    // Nobody is left to answer: an open case is closed, so it leaves every inbox.
    await sql(
      this.manager,
      this.kind,
      `UPDATE cases SET status = 'closed' WHERE id IN (${placeholders(ids)}) AND status NOT IN ('answered', 'closed')`,
      ids,
    );
    return this.anonymise(ids);
  }

  private async countEvents(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const { rows } = await sql<{ n: unknown }>(
      this.manager,
      this.kind,
      `SELECT COUNT(*) AS n FROM case_events WHERE case_id IN (${placeholders(ids)})`,
      ids,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Clears the personal columns of these cases and deletes their history. */
  private async anonymise(ids: string[]): Promise<{ cases: number; case_events: number }> {
    if (ids.length === 0) return { cases: 0, case_events: 0 };
    const list = placeholders(ids);
    const events = await sql(
      this.manager,
      this.kind,
      `DELETE FROM case_events WHERE case_id IN (${list})`,
      ids,
    );
    const cases = await sql(
      this.manager,
      this.kind,
      `UPDATE cases SET resident_key = '${ANONYMOUS}', resident_name = NULL, text = '', answer = NULL, proposal = NULL,
         idempotency_key = '${ANONYMOUS}:' || id WHERE id IN (${list})`,
      ids,
    );
    return { cases: cases.affected, case_events: events.affected };
  }
}

function toRow(c: Case): CaseRow {
  return {
    id: c.id,
    reference: c.reference,
    resident_key: c.residentKey,
    channel: c.channel,
    language: c.language,
    district_id: c.districtId,
    topic: c.topic,
    kind: c.kind,
    text: c.text,
    proposal: c.proposal ? JSON.stringify(c.proposal) : null,
    stage: c.stage,
    status: c.status,
    ...assigneeColumns(c.assignee),
    handler_id: c.handler?.id ?? null,
    handler_name: c.handler?.name ?? null,
    waiting_since: c.waitingSince,
    resident_name: c.residentName,
    answer_by: c.answerBy,
    promised_by: c.promisedBy,
    answer: c.answer,
    answered_at: c.answeredAt,
    reopened_count: c.reopenedCount,
    rating: c.rating,
    escalated: c.escalated,
    idempotency_key: c.idempotencyKey,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

function changesToRow(changes: CaseChanges): Partial<CaseRow> {
  const row: Partial<CaseRow> = {};
  if (changes.status !== undefined) row.status = changes.status;
  if (changes.assignee !== undefined) Object.assign(row, assigneeColumns(changes.assignee));
  if (changes.handler !== undefined) {
    row.handler_id = changes.handler?.id ?? null;
    row.handler_name = changes.handler?.name ?? null;
  }
  if (changes.waitingSince !== undefined) row.waiting_since = changes.waitingSince;
  if (changes.answerBy !== undefined) row.answer_by = changes.answerBy;
  if (changes.promisedBy !== undefined) row.promised_by = changes.promisedBy;
  if (changes.answer !== undefined) row.answer = changes.answer;
  if (changes.answeredAt !== undefined) row.answered_at = changes.answeredAt;
  if (changes.reopenedCount !== undefined) row.reopened_count = changes.reopenedCount;
  if (changes.rating !== undefined) row.rating = changes.rating;
  if (changes.escalated !== undefined) row.escalated = changes.escalated;
  if (changes.stage !== undefined) row.stage = changes.stage;
  if (changes.updatedAt !== undefined) row.updated_at = changes.updatedAt;
  return row;
}

function assigneeColumns(
  a: Assignee | null,
): Pick<CaseRow, 'assignee_type' | 'assignee_id' | 'assignee_name'> {
  if (!a) return { assignee_type: null, assignee_id: null, assignee_name: null };
  return { assignee_type: a.type, assignee_id: a.id, assignee_name: a.type === 'department' ? a.name : null };
}

function fromRow(row: CaseRow): Case {
  return {
    id: row.id,
    reference: row.reference,
    residentKey: row.resident_key,
    channel: row.channel,
    language: row.language,
    districtId: row.district_id,
    topic: row.topic,
    kind: row.kind === 'proposal' || row.kind === 'privacy' ? row.kind : 'question',
    text: row.text,
    proposal: row.proposal ? (JSON.parse(row.proposal) as ProposalDetails) : null,
    stage: row.stage as ProposalStage | null,
    status: row.status as CaseStatus,
    assignee: assigneeFromRow(row),
    handler: row.handler_id ? { id: row.handler_id, name: row.handler_name ?? row.handler_id } : null,
    waitingSince: row.waiting_since,
    residentName: row.resident_name,
    answerBy: row.answer_by,
    promisedBy: row.promised_by ?? null,
    answer: row.answer,
    answeredAt: row.answered_at,
    reopenedCount: Number(row.reopened_count),
    rating: row.rating === null ? null : Number(row.rating),
    escalated: Boolean(row.escalated),
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** An event's values after its case id: at, actor, type, detail (as JSON text). */
function eventValues(event: NewCaseEvent): unknown[] {
  return [event.at, event.actor, event.type, JSON.stringify(event.detail)];
}

const TIMESTAMPS = [
  'waiting_since',
  'answer_by',
  'promised_by',
  'answered_at',
  'created_at',
  'updated_at',
] as const;

/**
 * A row read with raw SQL as TypeORM would hand it over: PostgreSQL gives timestamptz as Date
 * already; SQLite gives the UTC text TypeORM writes (`2026-04-02 08:00:00.000`), read as UTC.
 */
function rawCaseRow(raw: Record<string, unknown>): CaseRow {
  const row = { ...raw } as Record<string, unknown>;
  for (const column of TIMESTAMPS) {
    const value = row[column];
    if (typeof value !== 'string') continue;
    const iso = value.replace(/^(\d{4}-\d\d-\d\d) /, '$1T');
    row[column] = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso.slice(10)) ? iso : `${iso}Z`);
  }
  return row as unknown as CaseRow;
}

function assigneeFromRow(row: CaseRow): Assignee | null {
  if (row.assignee_type === 'alderman' && row.assignee_id) return { type: 'alderman', id: row.assignee_id };
  if (row.assignee_type === 'department' && row.assignee_id) {
    return { type: 'department', id: row.assignee_id, name: row.assignee_name ?? row.assignee_id };
  }
  return null;
}

function eventFromRow(row: CaseEventRow): CaseEvent {
  return {
    id: Number(row.id),
    caseId: row.case_id,
    at: row.at,
    actor: row.actor,
    type: row.type as CaseEventType,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}
