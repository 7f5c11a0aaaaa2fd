import { escalationPlan, isCaseJobCurrent, markEscalated, type CaseJobData } from './escalation.js';
import { getCase, routeCase } from './case-service.js';
import { addWorkingDays } from './working-days.js';
import type { Case } from './case.js';
import type { Engine } from '../../engine/engine.js';
import type { Municipality } from '../../municipality/municipality.js';
import type { JobHandler, JobQueue } from '../../ports/queue.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Clock } from '../../shared/clock.js';
import { caseView, residentAddress } from './views.js';

export interface CaseJobDeps {
  engine: Engine;
  uow: UnitOfWork;
  queue: JobQueue;
  municipality: Municipality;
  clock: Clock;
}

/** Tells every chat identity linked to the case's alderman (departments are served in the dashboard). */
export async function tellAssignee(
  deps: CaseJobDeps,
  c: Case,
  event: string,
  eventId: string,
  extra: Record<string, unknown> = {},
) {
  if (c.assignee?.type !== 'alderman') return;
  const aldermanId = c.assignee.id;
  const identities = await deps.uow.run((r) => r.staff.identitiesOf(aldermanId));
  for (const address of identities) {
    await deps.engine.notify(
      address,
      event,
      { case: caseView(c), ...extra },
      `${eventId}:${address.channel}:${address.userId}`,
    );
  }
}

/** Puts the case's reminder, delay notice and escalation on the queue (idempotent job ids). */
async function planTimers(deps: CaseJobDeps, c: Case): Promise<void> {
  const m = deps.municipality;
  const now = deps.clock.now().getTime();
  for (const job of escalationPlan(c, { timeZone: m.timeZone, holidays: m.cases.holidays })) {
    await deps.queue.enqueue('case.timer', job.data, {
      jobId: job.jobId,
      delayMs: Math.max(0, job.runAt.getTime() - now),
    });
  }
}

/** Job handlers of the questions domain: routing, follow-ups and the answer-by timers. */
export function caseJobHandlers(deps: CaseJobDeps): Record<string, JobHandler<never>> {
  const m = deps.municipality;
  const districts = m.districts.map((d) => ({ id: d.id, aldermanId: d.aldermanId }));

  const routeJob: JobHandler<{ caseId: string }> = async (job) => {
    const c = await deps.uow.transaction((r) =>
      routeCase(r, job.data.caseId, m.cases.routing.rules, districts, deps.clock.now()),
    );
    await planTimers(deps, c);
    await tellAssignee(deps, c, 'case.assigned', `case-assigned-${c.id}`);
  };

  const followUpJob: JobHandler<{ caseId: string; words: string }> = async (job) => {
    const c = await deps.uow.run((r) => getCase(r, job.data.caseId));
    await planTimers(deps, c);
    await tellAssignee(deps, c, 'case.reopened', `case-reopened-${c.id}-${c.reopenedCount}`, {
      words: job.data.words,
    });
  };

  const timerJob: JobHandler<CaseJobData> = async (job) => {
    const data = job.data;
    const c = await deps.uow.run((r) => getCase(r, data.caseId));
    if (!isCaseJobCurrent(c, data)) return;
    const id = `case-${data.kind}-${c.id}-${data.answerBy}`;
    if (data.kind === 'remind-assignee') return tellAssignee(deps, c, 'case.reminder', id);
    if (data.kind === 'tell-resident-delay') {
      // An honest new promise: three working days past the one we are about to miss.
      const newDate = addWorkingDays(c.answerBy, 3, { timeZone: m.timeZone, holidays: m.cases.holidays });
      return deps.engine.notify(
        residentAddress(c.residentKey),
        'case.delay',
        { case: caseView(c), newDate: newDate.getTime() },
        id,
      );
    }
    const { changed, case: latest } = await deps.uow.transaction((r) =>
      markEscalated(r, c.id, deps.clock.now()),
    );
    if (changed && latest) await tellAssignee(deps, latest, 'case.escalated', id);
  };

  return {
    'case.route': routeJob,
    'case.followup': followUpJob,
    'case.timer': timerJob,
  };
}
