import type { EntityManager, SelectQueryBuilder, WhereExpressionBuilder } from 'typeorm';
import { Brackets } from '../typeorm.js';
import type { CaseScope, DueMoments, InboxCounts, InboxQuery } from '../../ports/case-repository.js';
import { CaseEntity, type CaseRow } from '../entities/case.js';

/** A filter the counts leave out when counting its own values. */
type Facet = 'status' | 'assignee' | 'district' | 'topic' | 'kind' | 'channel' | 'due';

/**
 * The inbox on either database: one page of rows, the total, and per filter the counts of each
 * value with every OTHER filter applied (so a count says what choosing that value would give).
 */
export async function caseInbox(
  manager: EntityManager,
  query: InboxQuery,
): Promise<{ rows: CaseRow[]; total: number; counts: InboxCounts }> {
  const base = (except?: Facet) =>
    narrowed(manager.getRepository(CaseEntity).createQueryBuilder('c'), query, except);
  const page = base()
    .orderBy('c.answer_by', 'ASC')
    .addOrderBy('c.created_at', 'ASC')
    .addOrderBy('c.reference', 'ASC')
    .offset(query.offset)
    .limit(query.limit);
  const [rows, total] = await Promise.all([page.getMany(), base().getCount()]);
  const grouped = async (except: Facet, column: string): Promise<Record<string, number>> => {
    const raw = await base(except)
      .select(column, 'k')
      .addSelect('COUNT(*)', 'n')
      .groupBy(column)
      .getRawMany<{ k: string | null; n: number | string }>();
    return Object.fromEntries(raw.map((r) => [r.k ?? '', Number(r.n)]));
  };
  const assigneeKey = "c.assignee_type || ':' || c.assignee_id";
  const [status, teams, district, topic, kind, channel] = await Promise.all([
    grouped('status', 'c.status'),
    grouped('assignee', assigneeKey),
    grouped('district', 'c.district_id'),
    grouped('topic', 'c.topic'),
    grouped('kind', 'c.kind'),
    grouped('channel', 'c.channel'),
  ]);
  delete teams[''];
  const [me, nobody, overdue, soon] = await Promise.all([
    mine(base('assignee'), query).getCount(),
    base('assignee').andWhere('c.handler_id IS NULL').getCount(),
    due(base('due'), query, 'overdue').getCount(),
    due(base('due'), query, 'soon').getCount(),
  ]);
  return {
    rows,
    total,
    counts: {
      status,
      assignee: { ...teams, me, nobody },
      district,
      topic,
      kind,
      channel,
      due: { overdue, soon },
    },
  };
}

function narrowed(
  q: SelectQueryBuilder<CaseRow>,
  query: InboxQuery,
  except?: Facet,
): SelectQueryBuilder<CaseRow> {
  q.where(new Brackets((w) => scoped(w, query.scope)));
  const search = query.search;
  // An exact reference names one case: the filters (by default only open ones) may not hide it, or
  // a resident who calls with their number of an answered question is "not found".
  if (search && 'reference' in search)
    return q.andWhere('c.reference = :reference', { reference: search.reference });
  const f = query.filters;
  if (f.statuses && f.statuses.length > 0 && except !== 'status')
    q.andWhere('c.status IN (:...statuses)', { statuses: [...f.statuses] });
  if (f.assignee && except !== 'assignee') {
    const a = f.assignee;
    if (a.type === 'me') mine(q, query);
    else if (a.type === 'nobody') q.andWhere('c.handler_id IS NULL');
    else q.andWhere('c.assignee_type = :aType AND c.assignee_id = :aId', { aType: a.type, aId: a.id });
  }
  if (f.districtId !== undefined && except !== 'district') {
    if (f.districtId === null) q.andWhere('c.district_id IS NULL');
    else q.andWhere('c.district_id = :district', { district: f.districtId });
  }
  if (f.topic !== undefined && except !== 'topic') q.andWhere('c.topic = :topic', { topic: f.topic });
  if (f.kind !== undefined && except !== 'kind') q.andWhere('c.kind = :kind', { kind: f.kind });
  if (f.channel !== undefined && except !== 'channel')
    q.andWhere('c.channel = :channel', { channel: f.channel });
  if (f.due && except !== 'due') due(q, query, f.due);
  if (search) {
    search.words.forEach((word, i) => {
      // LOWER on both sides: SQLite's LIKE ignores case only for ASCII, PostgreSQL's not at all.
      q.andWhere(`LOWER(c.text) LIKE :w${i} ESCAPE '\\'`, {
        [`w${i}`]: `%${escapeLike(word.toLowerCase())}%`,
      });
    });
  }
  return q;
}

/**
 * The viewer's own cases: the ones they took (handler), and for an alderman's account also every
 * case assigned to that alderman (routed to them, nobody else's to take).
 */
function mine(q: SelectQueryBuilder<CaseRow>, query: InboxQuery): SelectQueryBuilder<CaseRow> {
  const scope = query.scope;
  if (scope.kind !== 'alderman') return q.andWhere('c.handler_id = :viewer', { viewer: query.viewerId });
  return q.andWhere(
    new Brackets((w) =>
      w
        .where('c.handler_id = :viewer', { viewer: query.viewerId })
        .orWhere("c.assignee_type = 'alderman' AND c.assignee_id = :mineAlderman", {
          mineAlderman: scope.id,
        }),
    ),
  );
}

/**
 * Open cases by their answer-by date, as `owesReaction` counts them: a proposal's date is its first
 * reaction, so one that had it (any stage after "received") is neither overdue nor due soon. The
 * inbox and the /metrics gauges (operations-repository.ts) both count with this, on a builder `c`.
 */
export function due(q: SelectQueryBuilder<CaseRow>, query: DueMoments, kind: 'overdue' | 'soon') {
  q.andWhere('c.status IN (:...open)', { open: [...query.openStatuses] });
  q.andWhere("(c.kind <> 'proposal' OR c.stage IS NULL OR c.stage = 'received')");
  if (kind === 'overdue') return q.andWhere('c.answer_by < :now', { now: query.now });
  return q.andWhere('c.answer_by >= :now AND c.answer_by <= :soon', {
    now: query.now,
    soon: query.dueSoonUntil,
  });
}

function scoped(w: WhereExpressionBuilder, scope: CaseScope): void {
  if (scope.kind === 'all') {
    if (scope.exceptKinds?.length)
      w.where('c.kind NOT IN (:...exceptKinds)', { exceptKinds: [...scope.exceptKinds] });
    else w.where('1 = 1');
  } else if (scope.kind === 'department') {
    w.where("c.assignee_type = 'department' AND c.assignee_id = :scopeId", { scopeId: scope.id });
  } else {
    w.where("c.assignee_type = 'alderman' AND c.assignee_id = :scopeId", { scopeId: scope.id });
    if (scope.districtIds.length > 0)
      w.orWhere('c.district_id IN (:...scopeDistricts)', { scopeDistricts: [...scope.districtIds] });
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
