import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness, type FakeServices } from '../support/flow-harness.js';
import { caseOf } from './fixtures.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-10T09:00:00Z');

const open = caseOf();
const answered = caseOf({
  id: 'c-2',
  reference: 'RSW-2026-000043',
  topic: 'verkeer-en-parkeren',
  status: 'answered',
  answer: 'De paal wordt volgende week geplaatst.',
  answeredAt: NOW - 2 * DAY,
});
const oldAnswer = caseOf({
  id: 'c-3',
  reference: 'RSW-2026-000007',
  status: 'closed',
  answer: 'Dat is geregeld.',
  answeredAt: NOW - 30 * DAY,
});

function resident(services: FakeServices = {}) {
  const h = flowHarness({
    now: new Date(NOW),
    services: { 'cases.mine': () => [open, answered, oldAnswer], ...services },
  });
  const anna = h.chat('anna');
  anna.send('hoi');
  return { h, anna };
}

describe('my-questions flow', () => {
  it('lists the resident’s questions with status and date, and offers to react to a recent answer', () => {
    const { h, anna } = resident();
    const turn = anna.send('mijn vragen');
    expect(turn.calls).toEqual([{ service: 'cases.mine', args: {}, by: 'console:anna' }]);
    const lines = turn.replies[0]?.text.split('\n') ?? [];
    expect(lines[0]).toBe(h.t('status.list'));
    expect(lines[1]).toBe(
      `• ${h.t('status.line', { reference: open.reference, topic: 'Afval', status: h.t('cases.status.routed'), date: 'dinsdag 15 december' })}`,
    );
    expect(lines[2]).toBe(
      `• ${h.t('status.line_answered', { reference: answered.reference, topic: 'Verkeer en parkeren', status: h.t('cases.status.answered') })}`,
    );
    // Only the answer of two days ago can still be reacted to; the one of 30 days ago not.
    expect(turn.choices.map((c) => c.id)).toEqual(['react:c-2:RSW-2026-000043', 'menu']);
    expect(anna.at).toBe('my-questions/pick');
  });

  it('goes to writing a reaction when the resident picks one', () => {
    const { h, anna } = resident();
    anna.send('mijn vragen');
    const turn = anna.press('react:c-2:RSW-2026-000043');
    expect(turn.text).toBe(h.t('answer.followup_write', { reference: 'RSW-2026-000043' }));
    expect(anna.at).toBe('case-answered/followup');
    expect(anna.state.data).toMatchObject({ caseId: 'c-2', reference: 'RSW-2026-000043' });
  });

  it('shows the list and the menu when nothing can be reacted to', () => {
    const { h, anna } = resident({ 'cases.mine': () => [open] });
    const turn = anna.send('status');
    expect(turn.replies.map((m) => m.text)).toHaveLength(2);
    expect(turn.replies[1]?.text).toBe(h.t('core.menu.prompt'));
  });

  it('says when there are no questions yet', () => {
    const { h, anna } = resident({ 'cases.mine': () => [] });
    expect(anna.send('mijn vragen').text).toContain(h.t('status.none'));
  });

  it('shows one case by its reference, written loosely, with its answer', () => {
    const { h, anna } = resident({ 'cases.find': () => answered });
    const turn = anna.send('status rsw 2026 43');
    expect(turn.calls).toEqual([
      { service: 'cases.find', args: { reference: 'RSW-2026-000043' }, by: 'console:anna' },
    ]);
    expect(turn.text).toContain(
      h.t('status.detail_answered', {
        reference: answered.reference,
        topic: 'Verkeer en parkeren',
        status: h.t('cases.status.answered'),
        answer: answered.answer ?? '',
      }),
    );
  });

  it('says how to send the information when a question waits for it, in the status and the list', () => {
    const waiting = caseOf({ status: 'waiting' });
    const { h, anna } = resident({ 'cases.find': () => waiting, 'cases.mine': () => [waiting] });
    // Regression: "Wij wachten op informatie van u" only; a resident who had gone to the menu
    // did not know that "aanvullen" sends it.
    expect(anna.send(`status ${waiting.reference}`).text).toContain(h.t('status.waiting_how'));
    expect(anna.send('mijn vragen').text).toContain(h.t('status.waiting_how'));
    expect(anna.send('aanvullen').calls.map((c) => c.service)).toEqual(['cases.waiting']);
  });

  it('says the same "not found" for someone else’s reference as for a made-up one', () => {
    const { h, anna } = resident({
      'cases.find': () => {
        throw new DomainError('case.not_found');
      },
    });
    expect(anna.send('status RSW-2026-000099').text).toContain(
      h.t('status.not_found', { example: 'RSW-2026-000042' }),
    );
  });

  it('goes back to the menu from the list', () => {
    const { h, anna } = resident();
    anna.send('mijn vragen');
    expect(anna.press('menu').text).toBe(h.t('core.menu.prompt'));
  });

  // Regression: "hoe staat het met RSW-2026-000043" at the menu was offered as a new question, and
  // the reference alone got the menu again; only "status RSW-…" and "mijn vragen" found it.
  it('finds a question by its reference in a sentence, or alone; another prefix or a date is no reference', () => {
    for (const words of ['hoe staat het met RSW-2026-000043?', 'rsw 2026 43']) {
      const { anna } = resident({ 'cases.find': () => answered });
      const turn = anna.send(words);
      expect(turn.calls, words).toEqual([
        { service: 'cases.find', args: { reference: 'RSW-2026-000043' }, by: 'console:anna' },
      ]);
    }
    for (const words of ['hoe staat het met ABC-2026-000043?', 'Kan ik op 1 maart 2026 10 uur komen?']) {
      const { anna } = resident({ 'cases.find': () => answered });
      const turn = anna.send(words);
      expect(turn.calls, words).toEqual([]);
    }
  });
});
