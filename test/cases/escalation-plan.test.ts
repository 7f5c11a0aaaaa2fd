import { describe, expect, it } from 'vitest';
import { escalationPlan, isCaseJobCurrent } from '../../src/features/cases/escalation.js';
import { addWorkingDays } from '../../src/features/cases/working-days.js';
import type { Case } from '../../src/ports/case-repository.js';
import { options } from './support.js';

function caseAt(createdAt: string, norm = 5): Case {
  const now = new Date(createdAt);
  return {
    id: '00000000-0000-4000-8000-000000000001',
    reference: 'RSW-2026-000001',
    residentKey: 'telegram:1',
    residentName: null,
    channel: 'telegram',
    language: 'nl',
    districtId: 'te-werve',
    topic: 'overig',
    text: 'Vraag',
    kind: 'question',
    proposal: null,
    stage: null,
    status: 'routed',
    assignee: { type: 'alderman', id: 'pieter-jansen' },
    handler: null,
    waitingSince: null,
    answerBy: addWorkingDays(now, norm, options),
    answer: null,
    answeredAt: null,
    reopenedCount: 0,
    promisedBy: null,
    rating: null,
    escalated: false,
    idempotencyKey: 'm1',
    createdAt: now,
    updatedAt: now,
  };
}

describe('escalationPlan', () => {
  it('reminds a working day before, warns the resident on the day, escalates at the end of it', () => {
    const plan = escalationPlan(caseAt('2026-04-02T08:00:00Z'), options);
    expect(plan.map((j) => [j.kind, j.runAt.toISOString()])).toEqual([
      ['remind-assignee', '2026-04-09T07:00:00.000Z'],
      ['tell-resident-delay', '2026-04-10T13:00:00.000Z'],
      ['escalate', '2026-04-10T21:59:59.999Z'],
    ]);
  });

  it('reminds before a holiday weekend: answer-by Tuesday after Easter → reminder on Good Friday', () => {
    const plan = escalationPlan(caseAt('2026-03-31T08:00:00Z', 4), options);
    expect(plan[0]).toMatchObject({ kind: 'remind-assignee', runAt: new Date('2026-04-03T07:00:00Z') });
  });

  it('leaves out timers that would fire before the case existed', () => {
    const plan = escalationPlan(caseAt('2026-04-09T10:00:00Z', 1), options);
    expect(plan.map((j) => j.kind)).toEqual(['tell-resident-delay', 'escalate']);
  });

  it('gives stable job ids that change when the answer-by date moves', () => {
    const c = caseAt('2026-04-02T08:00:00Z');
    expect(escalationPlan(c, options).map((j) => j.jobId)).toEqual(
      escalationPlan({ ...c }, options).map((j) => j.jobId),
    );
    const moved = { ...c, answerBy: new Date(c.answerBy.getTime() + 86_400_000) };
    expect(escalationPlan(moved, options)[0]!.jobId).not.toBe(escalationPlan(c, options)[0]!.jobId);
    expect(escalationPlan(c, options)[0]!.jobId).not.toContain(':');
  });
});

describe('isCaseJobCurrent', () => {
  const c = caseAt('2026-04-02T08:00:00Z');
  const [remind, , escalate] = escalationPlan(c, options);

  it('runs a job for an open case whose answer-by is unchanged', () => {
    expect(isCaseJobCurrent(c, remind!.data)).toBe(true);
    expect(isCaseJobCurrent(c, escalate!.data)).toBe(true);
  });

  it('drops a job once the case is answered, reopened with a new date, or escalated', () => {
    expect(isCaseJobCurrent({ ...c, status: 'answered' }, remind!.data)).toBe(false);
    expect(
      isCaseJobCurrent(
        { ...c, status: 'reopened', answerBy: new Date('2026-05-01T21:59:59.999Z') },
        remind!.data,
      ),
    ).toBe(false);
    expect(isCaseJobCurrent({ ...c, escalated: true }, escalate!.data)).toBe(false);
  });
});

describe('the first reaction to a proposal', () => {
  it('keeps the timers of a proposal that is only received, and stops them once staff reacted in any way', () => {
    const base = caseAt('2026-12-01T09:00:00Z', 10);
    const received: Case = {
      ...base,
      kind: 'proposal',
      stage: 'received',
      proposal: { where: 'a', who: 'b', help: 'c' },
    };
    const [remind, , escalate] = escalationPlan(received, options);
    expect(isCaseJobCurrent(received, remind!.data)).toBe(true);
    expect(isCaseJobCurrent(received, escalate!.data)).toBe(true);
    for (const stage of ['reviewing', 'invited'] as const) {
      const reacted: Case = { ...received, stage, status: 'in_progress' };
      expect(isCaseJobCurrent(reacted, remind!.data), stage).toBe(false);
      expect(isCaseJobCurrent(reacted, escalate!.data), stage).toBe(false);
    }
    // A question in progress still owes its answer.
    expect(isCaseJobCurrent({ ...base, status: 'in_progress' }, escalate!.data)).toBe(true);
  });
});
