import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness, type FakeServices } from '../support/flow-harness.js';
import { caseOf } from './fixtures.js';

const DAY = 86_400_000;
const waiting = caseOf({ status: 'waiting' });
const other = caseOf({ id: 'c-2', reference: 'RSW-2026-000050', status: 'waiting' });
const question = 'Om welke container gaat het: de grijze of de groene?';
const reply = 'De groene, bij nummer 12.';

function resident(services: FakeServices = {}) {
  const h = flowHarness({
    services: {
      'cases.waiting': () => [waiting],
      'cases.add-info': () => ({
        ...waiting,
        status: 'in_progress',
        answerBy: Date.parse('2026-12-17T16:00:00Z'),
      }),
      ...services,
    },
  });
  const anna = h.chat('anna');
  anna.send('hoi');
  return { h, anna };
}

describe('case-info flow', () => {
  it('asks the resident for the information staff need, and adds their next message to the case', () => {
    const { h, anna } = resident();
    const asked = anna.fire('case.info_requested', { case: waiting, question });
    expect(asked.replies.map((m) => m.text)).toEqual([
      h.t('case.info_request', { reference: waiting.reference, question }),
      h.t('info.write', { reference: waiting.reference }),
    ]);
    expect(anna.at).toBe('case-info/write');
    const turn = anna.send(reply);
    expect(turn.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.add-info', { caseId: 'c-1', text: reply }],
    ]);
    expect(turn.text).toContain(
      h.t('info.added', { reference: waiting.reference, date: 'donderdag 17 december' }),
    );
    expect(h.waitingJobs('case.info')).toMatchObject([{ data: { caseId: 'c-1', words: reply } }]);
  });

  it('still takes the reply hours after the request, however long the resident was silent before', () => {
    const { h, anna } = resident();
    h.advance(3 * DAY);
    anna.fire('case.info_requested', { case: waiting, question });
    h.advance(5 * 3_600_000);
    const turn = anna.send(reply);
    expect(turn.text).not.toContain(h.t('core.idle_reset'));
    expect(turn.calls.map((c) => c.service)).toEqual(['cases.add-info']);
  });

  it('reads the reply as words, even menu words', () => {
    const { anna } = resident();
    anna.fire('case.info_requested', { case: waiting, question });
    expect(anna.send('afspraak').calls[0]?.args).toEqual({ caseId: 'c-1', text: 'afspraak' });
  });

  it('does not interrupt a resident in the middle of something; "aanvullen" later picks the case up', () => {
    const { h, anna } = resident();
    anna.send('wijkwethouder');
    const later = anna.fire('case.info_requested', { case: waiting, question });
    expect(later.text).toBe(h.t('case.info_request_later', { reference: waiting.reference, question }));
    expect(anna.at).toBe('district/ask');
    anna.send('menu');
    const write = anna.send('aanvullen');
    expect(write.calls.map((c) => c.service)).toEqual(['cases.waiting']);
    expect(write.text).toBe(h.t('info.write', { reference: waiting.reference }));
    expect(anna.send(reply).calls[0]?.args).toEqual({ caseId: 'c-1', text: reply });
  });

  it('asks which question when several wait for information', () => {
    const { h, anna } = resident({ 'cases.waiting': () => [waiting, other] });
    const pick = anna.send('aanvullen');
    expect(pick.text).toBe(h.t('info.pick'));
    expect(pick.choices.map((c) => c.label)).toEqual(['RSW-2026-000042', 'RSW-2026-000050']);
    expect(anna.press('RSW-2026-000050').text).toBe(h.t('info.write', { reference: 'RSW-2026-000050' }));
    expect(anna.send(reply).calls[0]?.args).toEqual({ caseId: 'c-2', text: reply });
  });

  it('goes back to the menu on anything but a question in that list', () => {
    const { h, anna } = resident({ 'cases.waiting': () => [waiting, other] });
    anna.send('aanvullen');
    expect(anna.send('geen van beide').text).toBe(h.t('core.menu.prompt'));
  });

  it('says when no question waits for information', () => {
    const { h, anna } = resident({ 'cases.waiting': () => [] });
    expect(anna.send('aanvullen').text).toContain(h.t('info.none'));
  });

  it('explains why the information could not be added', () => {
    const { h, anna } = resident({
      'cases.add-info': () => {
        throw new DomainError('case.text_too_long');
      },
    });
    anna.fire('case.info_requested', { case: waiting, question });
    expect(anna.send(reply).text).toContain(h.t('cases.error.text_too_long', { max: 4000 }));
    expect(h.waitingJobs('case.info')).toEqual([]);
  });

  it('tells the resident when the answer-by date moves, and why', () => {
    const { h, anna } = resident();
    const moved = caseOf({ answerBy: Date.parse('2026-12-22T16:00:00Z') });
    const turn = anna.fire('case.date_moved', { case: moved, reason: 'Wij wachten op de aannemer.' });
    expect(turn.text).toBe(
      h.t('case.date_moved', {
        reference: moved.reference,
        date: 'dinsdag 22 december',
        reason: 'Wij wachten op de aannemer.',
      }),
    );
  });

  // Regression: a date moved earlier was told as "we need more time".
  it('tells the resident an earlier answer-by date as sooner, in their language', () => {
    const { h, anna } = resident();
    const moved = caseOf({ answerBy: Date.parse('2026-12-03T16:00:00Z') });
    const reason = 'It is known already.';
    const vars = { reference: moved.reference, date: 'donderdag 3 december', reason };
    expect(anna.fire('case.date_moved', { case: moved, reason, earlier: true }).text).toBe(
      h.t('case.date_moved_earlier', vars),
    );
    anna.send('English');
    const english = anna.fire('case.date_moved', { case: moved, reason, earlier: true }).text;
    expect(english).toContain('you will get an answer sooner');
    expect(english).not.toContain('more time');
  });

  it('tells the resident that staff closed the question without an answer, and why, and keeps the step', () => {
    const { h, anna } = resident();
    anna.send('afspraak');
    const at = anna.at;
    const closed = caseOf({ status: 'closed' });
    const reason = 'Deze vraag gaat over de provincie. Kijk op www.zuid-holland.nl.';
    const turn = anna.fire('case.closed', { case: closed, reason });
    expect(turn.text).toBe(h.t('case.closed', { reference: closed.reference, reason }));
    expect(anna.at).toBe(at);
  });

  it('tells the alderman what the resident added', () => {
    const { h } = resident();
    const alderman = h.chat('42', { channel: 'telegram', staff: { aldermanId: 'anna-de-vries' } });
    alderman.send('hoi');
    expect(alderman.fire('case.info', { case: waiting, words: reply }).text).toBe(
      h.t('staff.case.info', { reference: waiting.reference, words: reply }),
    );
  });
});
