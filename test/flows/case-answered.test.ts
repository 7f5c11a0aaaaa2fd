import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness, type FakeServices } from '../support/flow-harness.js';
import { caseOf } from './fixtures.js';

const answered = caseOf({
  status: 'answered',
  answer: 'De container wordt morgen geleegd.',
  answeredAt: Date.parse('2026-12-01T08:00:00Z'),
});
const reopened = caseOf({
  status: 'in_progress',
  reopenedCount: 1,
  answerBy: Date.parse('2026-12-08T16:00:00Z'),
});

/** A resident at the menu who just got the answer to their question. */
function gotAnswer(services: FakeServices = {}) {
  const h = flowHarness({
    services: {
      'cases.close': () => ({ ...answered, status: 'closed' }),
      'cases.rate': () => ({ ...answered, status: 'closed' }),
      'cases.reopen': () => reopened,
      ...services,
    },
  });
  const anna = h.chat('anna');
  anna.send('hoi');
  const turn = anna.fire('case.answered', { case: answered });
  return { h, anna, turn };
}

describe('case-answered flow', () => {
  it('brings the answer and asks whether it helped', () => {
    const { h, anna, turn } = gotAnswer();
    expect(turn.replies.map((m) => m.text)).toEqual([
      h.t('answer.received', { reference: answered.reference, answer: answered.answer ?? '' }),
      h.t('answer.solved_question'),
    ]);
    expect(turn.choices.map((c) => c.id)).toEqual(['yes', 'no']);
    expect(anna.at).toBe('case-answered/solved');
  });

  it('closes the case on yes and asks for a rating of 1 to 5', () => {
    const { h, anna } = gotAnswer();
    const closed = anna.press('yes');
    expect(closed.calls.map((c) => [c.service, c.args])).toEqual([['cases.close', { caseId: 'c-1' }]]);
    expect(closed.text).toBe(h.t('answer.rate'));
    expect(closed.choices.map((c) => c.id)).toEqual([
      'rate:1',
      'rate:2',
      'rate:3',
      'rate:4',
      'rate:5',
      'skip',
    ]);
    const rated = anna.send('4');
    expect(rated.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.rate', { caseId: 'c-1', rating: 4 }],
    ]);
    expect(rated.text).toContain(h.t('answer.thanks'));
  });

  it('takes thanks as a yes', () => {
    const { anna } = gotAnswer();
    expect(anna.send('Bedankt!').calls.map((c) => c.service)).toEqual(['cases.close']);
  });

  it('asks again for a rating that is not 1 to 5, and closes without one on "Liever niet"', () => {
    const { h, anna } = gotAnswer();
    anna.press('yes');
    expect(anna.send('8').text).toBe(h.t('cases.error.rating_invalid'));
    const skipped = anna.press('skip');
    expect(skipped.calls).toEqual([]);
    expect(skipped.text).toContain(h.t('answer.closed'));
  });

  it('on no, asks for the follow-up and reopens the case with it', () => {
    const { h, anna } = gotAnswer();
    expect(anna.press('no').text).toBe(h.t('answer.followup_write', { reference: answered.reference }));
    const turn = anna.send('Hij is vandaag niet geleegd.');
    expect(turn.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.reopen', { caseId: 'c-1', text: 'Hij is vandaag niet geleegd.' }],
    ]);
    expect(turn.text).toContain(
      h.t('answer.reopened', { reference: answered.reference, date: 'dinsdag 8 december' }),
    );
    expect(h.waitingJobs('case.followup')).toMatchObject([
      { data: { caseId: 'c-1', words: 'Hij is vandaag niet geleegd.' } },
    ]);
  });

  // Regression: "weet ik niet" or "misschien" at "Is uw vraag hiermee beantwoord?" reopened the case
  // with those words as the reaction: the alderman was told, and a new answer-by date set.
  it.each(['weet ik niet', 'misschien', 'Geen idee.'])(
    'asks again on "%s", and reopens nothing',
    (unsure) => {
      const { h, anna } = gotAnswer();
      const turn = anna.send(unsure);
      expect(turn.calls).toEqual([]);
      expect(turn.text).toBe(`${h.t('understanding.again_choices')}\n${h.t('answer.solved_question')}`);
      expect(turn.choices.map((c) => c.id)).toEqual(['yes', 'no']);
      expect(anna.at).toBe('case-answered/solved');
    },
  );

  it('takes a reaction that says it does not know something as the reaction', () => {
    const { anna } = gotAnswer();
    const turn = anna.send('Ik weet niet welke dag de container geleegd wordt');
    expect(turn.calls.map((c) => c.service)).toEqual(['cases.reopen']);
  });

  it('takes any other words at the question as the reaction', () => {
    const { anna } = gotAnswer();
    const turn = anna.send('Welke dag precies?');
    expect(turn.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.reopen', { caseId: 'c-1', text: 'Welke dag precies?' }],
    ]);
  });

  it('reads a follow-up as words, even when they are menu words', () => {
    const { anna } = gotAnswer();
    anna.press('no');
    expect(anna.send('afspraak').calls[0]?.args).toEqual({ caseId: 'c-1', text: 'afspraak' });
  });

  it('says a reaction came too late after seven days, and how to ask anew', () => {
    const { h, anna } = gotAnswer({
      'cases.reopen': () => {
        throw new DomainError('case.reopen_window_closed');
      },
    });
    anna.press('no');
    const turn = anna.send('Toch nog een vraag.');
    expect(turn.text).toContain(h.t('answer.reopen_too_late', { days: 7 }));
    expect(h.waitingJobs('case.followup')).toEqual([]);
  });

  it('explains a case that can no longer be closed', () => {
    const { h, anna } = gotAnswer({
      'cases.close': () => {
        throw new DomainError('case.concurrent_change');
      },
    });
    expect(anna.press('yes').text).toContain(h.t('cases.error.concurrent_change'));
  });

  // Regression: the idle reset counted from the resident's last message only, so the "Ja" to an
  // answer that came days after the question got "Het is een tijd stil geweest" and the menu.
  it('takes the reaction to an answer that came days after the resident last wrote', () => {
    const h = flowHarness({ services: { 'cases.close': () => ({ ...answered, status: 'closed' }) } });
    const anna = h.chat('anna');
    anna.send('hoi');
    h.advance(3 * 86_400_000);
    anna.fire('case.answered', { case: answered });
    h.advance(60_000);
    const turn = anna.press('yes');
    expect(turn.text).not.toContain(h.t('core.idle_reset'));
    expect(turn.calls.map((c) => c.service)).toEqual(['cases.close']);
  });

  it('does not interrupt a resident in the middle of something: the answer, and how to react later', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('wijkwethouder');
    const turn = anna.fire('case.answered', { case: answered });
    expect(turn.replies.map((m) => m.text)).toEqual([
      h.t('answer.received', { reference: answered.reference, answer: answered.answer ?? '' }),
      h.t('answer.later', { days: 7 }),
    ]);
    expect(anna.at).toBe('district/ask');
  });

  it('reaches a resident waiting for a person without taking them back', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('medewerker');
    anna.fire('case.answered', { case: answered });
    expect(anna.state.mode).toBe('human');
  });

  it('says honestly when an answer will be late, with the new date', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    const turn = anna.fire('case.delay', { case: caseOf(), newDate: Date.parse('2026-12-17T16:00:00Z') });
    expect(turn.text).toBe(
      h.t('case.delay', { reference: 'RSW-2026-000042', date: 'donderdag 17 december' }),
    );
    expect(anna.at).toBe('menu/main');
  });
});
