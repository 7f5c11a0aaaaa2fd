import type { FeatureDeps, SweepPass } from '../../ports/feature.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { dueForEscalation, markEscalated } from './escalation.js';
import { planTimers, tellAssignee } from './jobs.js';
import { OPEN_STATUSES } from './case-status.js';
import { caseView } from './views.js';

/** Open cases that routing reached: their timers were planned and must stay on the queue. */
const ROUTED_OPEN_STATUSES = OPEN_STATUSES.filter((s) => s !== 'new');

/**
 * The safety net under the queue: a Redis that restarted without its data, or a job that failed
 * for good, must not leave a question unrouted or a promise passing silently. Routes new cases
 * whose job was lost, and escalates overdue ones whose timer was lost. Safe to run anywhere, often.
 */
export async function sweepCases(
  deps: FeatureDeps,
  pass: SweepPass,
): Promise<{ rerouted: number; escalated: number }> {
  const now = deps.clock.now();
  const { unroutedAfterMs } = deps;
  const stuck = await deps.uow.run((r) => r.cases.listUnrouted(new Date(now.getTime() - unroutedAfterMs)));
  // A fresh id per sweep: the original job id may still be taken by a job that failed for good.
  const bucket = Math.floor(now.getTime() / unroutedAfterMs);
  for (const c of stuck) {
    // The department staff chose (webcare) went with the lost job; the case's history kept it.
    const departmentId = await deps.uow.run((r) => chosenDepartment(r, c.id));
    const route = { caseId: c.id, ...(departmentId ? { departmentId } : {}) };
    await deps.queue.enqueue('case.route', route, { jobId: `case-route-${c.id}-sweep-${bucket}` });
  }
  // A Redis that lost its data lost the timers of open cases too (SQL jobs are never lost): a
  // restoring pass plans every open case's again; the job ids make that a no-op for timers still on
  // the queue. Every open case is three job adds (some 18 Redis calls), which on every pass was tens
  // of thousands of calls that almost always added nothing. Other passes plan again only the cases
  // changed since the last one: a staff change plans its timers after its commit, in either driver.
  const everyOpenCase = pass.restore && deps.queue.driver === 'bullmq';
  const since = everyOpenCase ? undefined : pass.changedSince;
  const open = await deps.uow.run((r) => r.cases.listDueAfter(now, ROUTED_OPEN_STATUSES, since));
  for (const c of open) await planTimers(deps, c, true);
  let escalated = 0;
  for (const c of await deps.uow.run((r) => dueForEscalation(r, now))) {
    const result = await deps.uow.transaction((r) => markEscalated(r, c.id, now));
    if (result.changed && result.case) {
      escalated++;
      const id = `case-escalate-${c.id}-${c.answerBy.getTime()}`;
      await tellAssignee(deps, result.case, 'case.escalated', id, { case: caseView(result.case) });
    }
  }
  return { rerouted: stuck.length, escalated };
}

/** The department staff chose when they made the case (its `created` event keeps it), if any. */
async function chosenDepartment(r: Pick<Repositories, 'cases'>, caseId: string): Promise<string | null> {
  const created = (await r.cases.events(caseId)).find((e) => e.type === 'created');
  const id = created?.detail.departmentId;
  return typeof id === 'string' && id !== '' ? id : null;
}
