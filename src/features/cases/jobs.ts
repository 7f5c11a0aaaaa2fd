import type { JobHandler } from '../../ports/queue.js';
import type { EventsNotifier } from '../../ports/notifier.js';
import { addressOfKey } from '../../shared/address.js';
import type { FeatureDeps, JobHandlers } from '../../ports/feature.js';
import type { Case } from '../../ports/case-repository.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import type { Address } from '../../shared/address.js';
import { getCase, routeCase } from './case-service.js';
import {
  escalationPlan,
  isCaseJobCurrent,
  markDelayTold,
  markEscalated,
  markReminded,
  type CaseJobData,
} from './escalation.js';
import type { CaseEvents, CaseJobs } from './events.js';
import { caseMailJob, mailDepartment } from './mail.js';
import { departmentsOf } from './staff-texts.js';
import { caseView } from './views.js';
import { addWorkingDays } from './working-days.js';

type AssigneeEvent =
  'case.assigned' | 'case.reminder' | 'case.escalated' | 'case.reopened' | 'case.info' | 'case.handed_over';

/** Tells every chat identity linked to the case's alderman (departments see it in the dashboard: the history and the deadline filters). */
export async function tellAssignee<K extends AssigneeEvent>(
  deps: FeatureDeps,
  c: Case,
  event: K,
  eventId: string,
  payload: CaseEvents[K],
): Promise<void> {
  if (c.assignee?.type !== 'alderman') return;
  await tellAlderman(deps, c.assignee.id, event, eventId, payload);
}

/** Tells every chat identity linked to the alderman `aldermanId`, whoever has the case now. */
export async function tellAlderman<K extends AssigneeEvent>(
  deps: FeatureDeps,
  aldermanId: string,
  event: K,
  eventId: string,
  payload: CaseEvents[K],
): Promise<void> {
  const told = await deps.uow.run((r) => storeAldermanNotice(deps, r, aldermanId, event, eventId, payload));
  for (const address of told) await deps.notifier.handOver(address);
}

/**
 * Stores the notice for every chat identity linked to the case's alderman with the caller's
 * repositories (in its transaction, if any); returns the chats to hand it over to after the commit
 * (`deps.notifier.handOver`), as `tellAssignee` does.
 */
export async function storeAssigneeNotice<K extends AssigneeEvent>(
  deps: Pick<FeatureDeps, 'notifier'>,
  repos: Pick<Repositories, 'staff' | 'conversations'>,
  c: Case,
  event: K,
  eventId: string,
  payload: CaseEvents[K],
): Promise<Address[]> {
  if (c.assignee?.type !== 'alderman') return [];
  return storeAldermanNotice(deps, repos, c.assignee.id, event, eventId, payload);
}

async function storeAldermanNotice<K extends AssigneeEvent>(
  deps: Pick<FeatureDeps, 'notifier'>,
  repos: Pick<Repositories, 'staff' | 'conversations'>,
  aldermanId: string,
  event: K,
  eventId: string,
  payload: CaseEvents[K],
): Promise<Address[]> {
  const identities = await repos.staff.identitiesOf(aldermanId);
  const notifier: EventsNotifier<CaseEvents> = deps.notifier;
  for (const address of identities) {
    const id = `${eventId}:${address.channel}:${address.userId}`;
    await notifier.storeEvent(repos, address, event, payload, id);
  }
  return identities;
}

/** Puts the case's reminder, delay notice and escalation on the queue (idempotent job ids), together. */
export async function planTimers(deps: FeatureDeps, c: Case, onlyAhead = false): Promise<void> {
  const m = deps.municipality;
  const now = deps.clock.now().getTime();
  const plan = escalationPlan(c, { timeZone: m.timeZone, holidays: m.cases.holidays })
    // The sweep puts back only timers still ahead: one that already ran may be gone from the queue.
    .filter((job) => !onlyAhead || job.runAt.getTime() > now)
    .map((job) => ({
      name: 'case.timer',
      data: job.data,
      options: { jobId: job.jobId, delayMs: Math.max(0, job.runAt.getTime() - now) },
    }));
  // All of a case's timers in one go (one round trip's wait on BullMQ); ids make a repeat add nothing.
  await deps.queue.enqueueMany(plan);
}

/** Job handlers of the questions domain: routing, follow-ups and the answer-by timers. */
export function caseJobHandlers(deps: FeatureDeps): JobHandlers {
  const m = deps.municipality;
  const districts = m.districts.map((d) => ({ id: d.id, aldermanId: d.aldermanId }));

  const routeJob: JobHandler<CaseJobs['case.route']> = async (job) => {
    // A department staff chose when they made the case (webcare), if the routing rules still name it.
    const chosen = departmentsOf(m.cases.routing).find((d) => d.id === job.data.departmentId);
    // The route and the alderman's notice commit together, in one transaction: a notice is never
    // stored without its route, nor lost after it (a retried job stores it again as a no-op).
    const { c, told } = await deps.uow.transaction(async (r) => {
      const routed = await routeCase(
        r,
        job.data.caseId,
        m.cases.routing.rules,
        districts,
        deps.clock.now(),
        chosen,
      );
      const id = `case-assigned-${routed.id}`;
      return {
        c: routed,
        told: await storeAssigneeNotice(deps, r, routed, 'case.assigned', id, { case: caseView(routed) }),
      };
    });
    // The timers wait on the queue, the notice on the alderman's conversation (its turns): they
    // wait together, not one after the other. Both are idempotent, so a job that fails in either
    // is run again whole.
    await Promise.all([planTimers(deps, c), ...told.map((address) => deps.notifier.handOver(address))]);
  };

  const followUpJob: JobHandler<CaseJobs['case.followup']> = async (job) => {
    const c = await deps.uow.run((r) => getCase(r, job.data.caseId));
    await planTimers(deps, c);
    const id = `case-reopened-${c.id}-${c.reopenedCount}`;
    await tellAssignee(deps, c, 'case.reopened', id, { case: caseView(c), words: job.data.words });
  };

  const infoJob: JobHandler<CaseJobs['case.info']> = async (job) => {
    const c = await deps.uow.run((r) => getCase(r, job.data.caseId));
    await planTimers(deps, c);
    const id = `case-info-${c.id}-${c.updatedAt.getTime()}`;
    await tellAssignee(deps, c, 'case.info', id, { case: caseView(c), words: job.data.words });
  };

  const timerJob: JobHandler<CaseJobData> = async (job) => {
    const data = job.data;
    const c = await deps.uow.run((r) => getCase(r, data.caseId));
    if (!isCaseJobCurrent(c, data)) return;
    const id = `case-${data.kind}-${c.id}-${data.answerBy}`;
    if (data.kind === 'remind-assignee') {
      await deps.uow.transaction((r) => markReminded(r, c.id, data.answerBy, deps.clock.now()));
      await mailDepartment(deps, c, 'reminder', id);
      return tellAssignee(deps, c, 'case.reminder', id, { case: caseView(c) });
    }
    if (data.kind === 'tell-resident-delay') {
      // An honest new promise: three working days past the one we are about to miss. The case keeps
      // it first (the resident's status and the case page show it), then the resident hears it.
      const newDate = addWorkingDays(c.answerBy, 3, { timeZone: m.timeZone, holidays: m.cases.holidays });
      const kept = await deps.uow.transaction((r) =>
        markDelayTold(r, c.id, data.answerBy, newDate, deps.clock.now()),
      );
      if (!kept) return;
      const notifier: EventsNotifier<CaseEvents> = deps.notifier;
      return notifier.notify(
        addressOfKey(c.residentKey),
        'case.delay',
        { case: caseView({ ...c, promisedBy: newDate }), newDate: newDate.getTime() },
        id,
      );
    }
    const { changed, case: latest } = await deps.uow.transaction((r) =>
      markEscalated(r, c.id, deps.clock.now()),
    );
    if (!changed || !latest) return;
    await mailDepartment(deps, latest, 'escalated', id);
    await tellAssignee(deps, latest, 'case.escalated', id, { case: caseView(latest) });
  };

  return {
    'case.route': routeJob,
    'case.followup': followUpJob,
    'case.info': infoJob,
    'case.timer': timerJob,
    'case.mail': caseMailJob(deps),
  };
}
