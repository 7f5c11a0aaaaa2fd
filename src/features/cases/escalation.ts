import type { Repositories } from '../../ports/unit-of-work.js';
import type { Case } from '../../ports/case-repository.js';
import { OPEN_STATUSES, owesReaction } from './case-status.js';
import { ConcurrentCaseChangeError } from './errors.js';
import type { HolidayCalendar } from '../../municipality/holidays.js';
import { atLocalTime, localDateOf } from '../../shared/local-date.js';
import { shiftWorkingDays } from './working-days.js';

export type CaseJobKind = 'remind-assignee' | 'tell-resident-delay' | 'escalate';

/** What a case job carries; `answerBy` (epoch ms) lets a stale job see that the date moved. */
export interface CaseJobData {
  caseId: string;
  kind: CaseJobKind;
  answerBy: number;
}

/** One timer to put on the queue for a case. */
export interface PlannedCaseJob {
  /** Idempotent: planning the same case and answer-by again gives the same ids. */
  jobId: string;
  kind: CaseJobKind;
  runAt: Date;
  data: CaseJobData;
}

export interface EscalationOptions {
  timeZone: string;
  holidays: HolidayCalendar;
  /** Local time of the reminder on the working day before the answer-by date (default 09:00). */
  remindAt?: string;
  /** Local time on the answer-by date when the resident hears of a delay (default 15:00). */
  delayNoticeAt?: string;
}

/**
 * The timers of a case, in time order: remind the assignee on the working day before the
 * answer-by date, tell the resident of the delay on that date while it has not passed, and
 * escalate at the answer-by moment. Timers that would fire before the case existed are left out.
 */
export function escalationPlan(c: Case, options: EscalationOptions): PlannedCaseJob[] {
  const answerDay = localDateOf(c.answerBy, options.timeZone);
  const remindDay = shiftWorkingDays(answerDay, -1, options.holidays);
  const candidates: [CaseJobKind, Date][] = [
    ['remind-assignee', atLocalTime(remindDay, options.remindAt ?? '09:00', options.timeZone)],
    ['tell-resident-delay', atLocalTime(answerDay, options.delayNoticeAt ?? '15:00', options.timeZone)],
    ['escalate', c.answerBy],
  ];
  return candidates
    .filter(([kind, runAt]) => kind === 'escalate' || runAt.getTime() > c.createdAt.getTime())
    .filter(([, runAt]) => runAt.getTime() <= c.answerBy.getTime())
    .map(([kind, runAt]) => ({
      jobId: `case-${c.id}-${kind}-${c.answerBy.getTime()}`,
      kind,
      runAt,
      data: { caseId: c.id, kind, answerBy: c.answerBy.getTime() },
    }));
}

/**
 * Whether a case job still has work to do when it runs: the case is still open, its answer-by
 * date is the one the job was planned for, and (for escalate) it has not escalated yet.
 */
export function isCaseJobCurrent(c: Case, data: CaseJobData): boolean {
  if (!owesReaction(c) || c.answerBy.getTime() !== data.answerBy) return false;
  return data.kind !== 'escalate' || !c.escalated;
}

/**
 * Marks an open case escalated, with an event. `changed` is false when there was nothing to do
 * (answered meanwhile, or already escalated), so a repeated job notifies no one twice.
 */
export async function markEscalated(
  repos: Pick<Repositories, 'cases'>,
  caseId: string,
  now: Date,
): Promise<{ case: Case | null; changed: boolean }> {
  const c = await repos.cases.findById(caseId);
  if (!c || c.escalated || !owesReaction(c)) return { case: c, changed: false };
  const changes = { escalated: true, updatedAt: now };
  const detail = { answerBy: c.answerBy.toISOString(), assignee: c.assignee };
  const escalated = { caseId: c.id, at: now, actor: 'system', type: 'escalated' as const, detail };
  if (!(await repos.cases.update(c.id, { status: c.status, escalated: false }, changes, escalated))) {
    // Lost a race: fine when the winner escalated it or it got answered; otherwise try again.
    const latest = await repos.cases.findById(caseId);
    if (!latest || latest.escalated || !owesReaction(latest)) return { case: latest, changed: false };
    throw new ConcurrentCaseChangeError(c.id);
  }
  return { case: { ...c, ...changes }, changed: true };
}

/** Open cases past their answer-by date that have not escalated yet (a sweep for lost timers). */
export async function dueForEscalation(repos: Pick<Repositories, 'cases'>, now: Date): Promise<Case[]> {
  return repos.cases.listOverdue(now, OPEN_STATUSES);
}

/**
 * Records in the case's history that the assignee was reminded of the answer-by date `answerBy`
 * (epoch ms), once per date, so a retried reminder job adds no second entry.
 */
export async function markReminded(
  repos: Pick<Repositories, 'cases'>,
  caseId: string,
  answerBy: number,
  now: Date,
): Promise<void> {
  const at = new Date(answerBy).toISOString();
  const events = await repos.cases.events(caseId);
  if (events.some((e) => e.type === 'reminded' && e.detail.answerBy === at)) return;
  const c = await repos.cases.findById(caseId);
  const detail = { answerBy: at, assignee: c?.assignee ?? null };
  await repos.cases.addEvent({ caseId, at: now, actor: 'system', type: 'reminded', detail });
}

/**
 * Records that the resident was told their answer comes later, by `promisedBy`: the case keeps it
 * (their status and the case page show it) with an entry in its history, once per answer-by date,
 * so a retried delay job changes nothing. Returns false when the case moved on meanwhile (answered,
 * or its answer-by date set anew): then nobody is to be told.
 */
export async function markDelayTold(
  repos: Pick<Repositories, 'cases'>,
  caseId: string,
  answerBy: number,
  promisedBy: Date,
  now: Date,
): Promise<boolean> {
  const c = await repos.cases.findById(caseId);
  if (!c || !owesReaction(c) || c.answerBy.getTime() !== answerBy) return false;
  if (c.promisedBy?.getTime() === promisedBy.getTime()) return true;
  const detail = { answerBy: c.answerBy.toISOString(), promisedBy: promisedBy.toISOString() };
  const told = { caseId: c.id, at: now, actor: 'system', type: 'delay_told' as const, detail };
  if (!(await repos.cases.update(c.id, { status: c.status }, { promisedBy, updatedAt: now }, told)))
    throw new ConcurrentCaseChangeError(c.id);
  return true;
}
