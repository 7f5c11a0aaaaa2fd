import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../src/features/cases/views.js';
import { readStageCommand } from '../../flows/staff-stage.js';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness, type FakeServices } from '../support/flow-harness.js';
import { caseOf } from './fixtures.js';

const proposal = caseOf({
  kind: 'proposal',
  topic: 'voorstel',
  text: 'Een moestuin op het grasveld.',
  proposal: { where: 'Vioolstraat', who: 'buren', help: 'een vergunning' },
  stage: 'received',
});
const reason = 'het veld is al verhuurd';

/** Anna de Vries, linked on Telegram; the resident console:anna made proposal c-1. */
function alderman(services: FakeServices = {}) {
  const h = flowHarness({
    services: {
      'cases.staff-stage': ({ stage, reason: why }): CaseView => ({
        ...proposal,
        stage: stage as CaseView['stage'],
        ...(stage === 'not_possible' ? { status: 'answered', answer: why } : { status: 'in_progress' }),
      }),
      ...services,
    },
  });
  const anna = h.chat('42', { channel: 'telegram', staff: { aldermanId: 'anna-de-vries' } });
  anna.send('hoi');
  const resident = h.chat('anna');
  resident.send('hoi');
  return { h, anna, resident };
}

describe('staff-stage flow (an alderman sets a proposal’s stage from their own chat)', () => {
  it('reads the stage in Dutch or English and the reason after it', () => {
    expect(readStageCommand('stand rsw 2026 42 kan niet: het veld is al verhuurd')).toEqual({
      reference: 'RSW-2026-000042',
      stage: 'not_possible',
      reason,
    });
    expect(readStageCommand('stand RSW-2026-000042 gesteund')).toMatchObject({
      stage: 'supported',
      reason: '',
    });
    expect(readStageCommand('stand RSW-2026-000042 gesprek. Ik bel u dinsdag.')).toMatchObject({
      stage: 'invited',
      reason: 'Ik bel u dinsdag.',
    });
    expect(readStageCommand('stand RSW-2026-000042 reviewing')).toMatchObject({ stage: 'reviewing' });
    expect(readStageCommand('stand RSW-2026-000042 misschien')).toBeNull();
    expect(readStageCommand('stand van zaken')).toBeNull();
  });

  it('sets the stage and the resident hears it with the reason', () => {
    const { h, anna, resident } = alderman();
    const turn = anna.send(`stand RSW-2026-000042 kan niet: ${reason}`);
    expect(turn.calls).toEqual([
      {
        service: 'cases.staff-stage',
        args: { reference: 'RSW-2026-000042', stage: 'not_possible', reason },
        by: 'telegram:42',
      },
    ]);
    expect(turn.replies[0]?.text).toBe(
      h.t('staff.stage.sent', { reference: proposal.reference, stage: h.t('proposal.stage.not_possible') }),
    );
    // The queue ran the event: the resident has the stage with the reason.
    expect(resident.received.slice(-1).map((m) => m.text)).toEqual([
      h.t('proposal.told.not_possible', { reference: proposal.reference, reason }),
    ]);
  });

  it('explains a missing reason, a question that is no proposal, a case of someone else, and a bad command', () => {
    const refusing = (code: string) => () => {
      throw new DomainError(code);
    };
    let { h, anna } = alderman({ 'cases.staff-stage': refusing('case.reason_required') });
    expect(anna.send('stand RSW-2026-000042 kan niet').text).toContain(
      h.t('staff.stage.reason_required', { example: 'RSW-2026-000042' }),
    );
    ({ h, anna } = alderman({ 'cases.staff-stage': refusing('case.not_proposal') }));
    expect(anna.send('stand RSW-2026-000042 gesteund').text).toContain(h.t('staff.stage.not_proposal'));
    ({ h, anna } = alderman({ 'cases.staff-stage': refusing('staff.not_yours') }));
    expect(anna.send('stand RSW-2026-000077 gesteund').text).toContain(h.t('staff.cases.not_yours'));
    expect(anna.send('stand RSW-2026-000042 misschien').text).toContain(
      h.t('staff.stage.usage', { example: 'RSW-2026-000042' }),
    );
  });

  it('a resident who types "stand <reference>" gets the status of their own case', () => {
    const h = flowHarness({ services: { 'cases.find': () => proposal } });
    const bob = h.chat('bob');
    bob.send('hoi');
    const turn = bob.send('stand RSW-2026-000042 gesteund');
    expect(turn.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.find', { reference: 'RSW-2026-000042' }],
    ]);
    expect(turn.text).not.toContain(h.t('staff.only'));
  });

  // Regression: a new proposal was announced as "Nieuwe vraag … over voorstel van een inwoner.
  // Antwoord uiterlijk …" with only its "what", and told the alderman to send "antwoord RSW-…",
  // which is refused for a proposal ("… is een voorstel, geen vraag.").
  it('announces a new proposal as one, with all four parts and the stage command that works', () => {
    const { h, anna } = alderman();
    const vars = { reference: proposal.reference, district: 'Muziekbuurt, Cluis en Eelaart' };
    const details = h.t('staff.cases.proposal_details', {
      what: proposal.text,
      where: 'Vioolstraat',
      who: 'buren',
      help: 'een vergunning',
    });
    const notice = anna.fire('case.assigned', { case: proposal }).text;
    expect(notice).toBe(
      h.t('staff.case.assigned_proposal', { ...vars, date: 'dinsdag 15 december', details }),
    );
    expect(notice).toContain('Nieuw voorstel RSW-2026-000042');
    expect(notice).toContain('Vioolstraat');
    expect(notice).not.toContain("'antwoord");
    // What it says to send is read as the stage command.
    const turn = anna.send('stand RSW-2026-000042 bekeken');
    expect(turn.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.staff-stage', { reference: 'RSW-2026-000042', stage: 'reviewing', reason: '' }],
    ]);
    // The reminder and the escalation speak of the first reaction, not of an answer.
    expect(anna.fire('case.reminder', { case: proposal }).text).toBe(
      h.t('staff.case.reminder_proposal', { ...vars, date: 'dinsdag 15 december' }),
    );
    expect(anna.fire('case.escalated', { case: proposal }).text).toBe(
      h.t('staff.case.escalated_proposal', { reference: proposal.reference }),
    );
  });
});
