import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../src/features/cases/views.js';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness, type FakeServices } from '../support/flow-harness.js';
import { firstWords } from '../../flows/format.js';
import { caseOf } from './fixtures.js';

const first = caseOf();
const second = caseOf({
  id: 'c-2',
  reference: 'RSW-2026-000050',
  topic: 'verkeer-en-parkeren',
  districtId: null,
  text: 'Waarom staat er al drie weken een kapotte auto voor mijn deur?',
  answerBy: Date.parse('2026-12-17T16:00:00Z'),
});
const answer = 'De container wordt morgen geleegd.';

/** Anna de Vries, linked on Telegram, at the menu; resident console:anna asked case c-1. */
function alderman(services: FakeServices = {}) {
  const h = flowHarness({
    services: {
      'cases.assigned': () => [first, second],
      'cases.staff-find': ({ reference }) => {
        const found = [first, second].find((c) => c.reference === reference);
        if (!found) throw new DomainError('staff.not_yours');
        return { ...found, thread: [] };
      },
      'cases.answer': ({ reference, text }): CaseView => ({
        ...(reference === second.reference ? second : first),
        status: 'answered',
        answer: text,
        answeredAt: h.clock.now().getTime(),
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

describe('staff-cases flow', () => {
  it('lists the alderman’s open questions, earliest answer-by date first', () => {
    const { h, anna } = alderman();
    const turn = anna.send('vragen');
    expect(turn.calls).toEqual([{ service: 'cases.assigned', args: {}, by: 'telegram:42' }]);
    const lines = turn.text.split('\n');
    expect(lines[0]).toBe(h.t('staff.cases.list'));
    expect(lines[1]).toContain('RSW-2026-000042 · Muziekbuurt, Cluis en Eelaart · Afval');
    expect(lines[2]).toContain(`RSW-2026-000050 · ${h.t('case.no_district')} · Verkeer en parkeren`);
    expect(lines[2]).toContain('…');
    expect(turn.choices.map((c) => c.id)).toEqual(['case:RSW-2026-000042', 'case:RSW-2026-000050', 'menu']);
  });

  // Regression: a case three weeks late said only "uiterlijk dinsdag 10 november", and a proposal
  // that had its first reaction was listed first with its old date as if it were still due.
  it('says which are late, and lists a proposal that had its first reaction by its stage, after the rest', () => {
    const late = caseOf({
      id: 'c-3',
      reference: 'RSW-2026-000030',
      answerBy: Date.parse('2026-11-10T16:00:00Z'),
    });
    const reacted = caseOf({
      id: 'c-4',
      reference: 'RSW-2026-000004',
      kind: 'proposal',
      topic: 'voorstel',
      text: 'Een moestuin op het grasveld.',
      proposal: { where: 'Vioolstraat', who: 'buren', help: 'een vergunning' },
      stage: 'reviewing',
      status: 'in_progress',
      answerBy: Date.parse('2026-11-01T16:00:00Z'),
    });
    const { h, anna } = alderman({
      'cases.assigned': () => [reacted, late, first],
      'cases.staff-find': () => ({ ...reacted, thread: [] }),
    });
    const lines = anna.send('vragen').text.split('\n');
    const vars = (c: typeof first, district = 'Muziekbuurt, Cluis en Eelaart') => ({
      reference: c.reference,
      district,
      topic: c.kind === 'proposal' ? h.t('staff.cases.kind_proposal') : 'Afval',
      words: firstWords(c.text, 8),
    });
    expect(lines.slice(1)).toEqual([
      `• ${h.t('staff.cases.line_late', { ...vars(late), date: 'dinsdag 10 november' })}`,
      `• ${h.t('staff.cases.line', { ...vars(first), date: 'dinsdag 15 december' })}`,
      `• ${h.t('staff.cases.line_stage', { ...vars(reacted), stage: h.t('dashboard.case.stage.reviewing') })}`,
    ]);
    expect(lines[1]).toContain('te laat');
    expect(lines[3]).not.toContain('uiterlijk');
    // Opened, it shows its stage and no date either.
    const shown = anna.press('case:RSW-2026-000004').text;
    expect(shown).toContain(h.t('dashboard.case.stage.reviewing'));
    expect(shown).not.toContain('uiterlijk');
  });

  // Regression: "vragen", then a notice "Nieuwe vraag RSW-…", then "vragen" again to see it: "U stuurde
  // hetzelfde bericht twee keer. Ik heb het één keer verwerkt."
  it('lists them again when "vragen" comes twice within seconds, also after a notice in between', () => {
    const { h, anna } = alderman();
    anna.send('vragen');
    h.advance(4_000);
    anna.fire('case.assigned', { case: second });
    h.advance(4_000);
    const again = anna.send('vragen');
    expect(again.calls.map((c) => c.service)).toEqual(['cases.assigned']);
    expect(again.text).toContain(h.t('staff.cases.list'));
    h.advance(1_000);
    expect(anna.send('vragen').text).toContain(h.t('staff.cases.list'));
  });

  it('is in the alderman’s menu', () => {
    const { h, anna } = alderman();
    expect(anna.press('staff-cases').text).toContain(h.t('staff.cases.list'));
  });

  it('lists them on a typo of "vragen" from a linked alderman; a resident’s typo is their own question', () => {
    const { h, anna, resident } = alderman({ 'cases.mine': () => [] });
    // Regression: "vragne" started the residents' "Een vraag stellen" for the alderman.
    for (const typed of ['vragne', 'vargen', 'Vragen!']) {
      const turn = anna.send(typed);
      expect(turn.calls.map((c) => c.service)).toEqual(['cases.assigned']);
      expect(turn.text).toContain(h.t('staff.cases.list'));
      anna.send('menu');
    }
    expect(resident.send('vragne').calls.map((c) => c.service)).not.toContain('cases.assigned');
  });

  it('tells the alderman when the resident chose another language, in the notice and the question shown', () => {
    const english = caseOf({ language: 'en' });
    const { h, anna } = alderman({ 'cases.staff-find': () => ({ ...english, thread: [] }) });
    expect(anna.fire('case.assigned', { case: english }).text).toContain(h.t('staff.cases.resident_lang.en'));
    anna.send('vragen');
    expect(anna.press('case:RSW-2026-000042').text).toContain(h.t('staff.cases.resident_lang.en'));
    // Their own language says nothing.
    expect(anna.fire('case.assigned', { case: caseOf({ language: 'nl' }) }).text).not.toContain(
      h.t('staff.cases.resident_lang.nl'),
    );
  });

  // Regression: an alderman's answer to an English resident, written in English as the bot asks
  // ("We will fix the broken tiles on Thursday, thank you for your message"), switched the alderman's
  // own chat to English: the confirmation came in English and his "Ja, versturen" was not read.
  it('keeps the alderman’s chat in Dutch when he writes an English answer', () => {
    const english = caseOf({ language: 'en' });
    const { h, anna } = alderman({ 'cases.staff-find': () => ({ ...english, thread: [] }) });
    anna.send('vragen');
    anna.press('case:RSW-2026-000042');
    const text = 'We will fix the broken tiles on Thursday, thank you for your message and have a good day';
    const confirm = anna.send(text);
    expect(anna.state.lang).toBe('nl');
    expect(confirm.text).toContain(text);
    expect(confirm.text).toBe(h.t('staff.cases.confirm', { text }));
  });

  it('says when there are none', () => {
    const { h, anna } = alderman({ 'cases.assigned': () => [] });
    expect(anna.send('open vragen').text).toContain(h.t('staff.cases.none'));
  });

  it('shows a case, takes the answer, confirms, and sends it to the resident’s own chat', () => {
    const { h, anna, resident } = alderman();
    anna.send('vragen');
    const shown = anna.press('case:RSW-2026-000042');
    expect(shown.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.staff-find', { reference: 'RSW-2026-000042' }],
    ]);
    expect(shown.text).toContain(first.text);
    expect(anna.at).toBe('staff-cases/write');
    const confirm = anna.send(answer);
    expect(confirm.text).toBe(h.t('staff.cases.confirm', { text: answer }));
    expect(confirm.choices.map((c) => c.id)).toEqual(['yes', 'no', 'info']);
    const sent = anna.press('yes');
    expect(sent.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.answer', { reference: 'RSW-2026-000042', text: answer }],
    ]);
    expect(sent.text).toContain(h.t('staff.cases.sent', { reference: 'RSW-2026-000042' }));
    expect(h.jobs.filter((j) => j.name === 'conversation.event')).toMatchObject([
      { jobId: 'case-answered:c-1:0', state: 'done' },
    ]);
    // The queue ran the event: the resident has the answer and the question whether it helped.
    expect(resident.received.slice(-2).map((m) => m.text)).toEqual([
      h.t('answer.received', { reference: 'RSW-2026-000042', answer }),
      h.t('answer.solved_question'),
    ]);
    expect(resident.at).toBe('case-answered/solved');
  });

  it('takes a typed reference, and lets the alderman write the answer again', () => {
    const { h, anna } = alderman();
    anna.send('vragen');
    anna.send('rsw 2026 50');
    anna.send('Eerste versie');
    expect(anna.press('no').text).toBe(h.t('staff.cases.write_again'));
    expect(anna.at).toBe('staff-cases/write');
    anna.send('Tweede versie');
    expect(anna.press('yes').calls[0]?.args).toEqual({ reference: 'RSW-2026-000050', text: 'Tweede versie' });
  });

  it('"vragen" alone while writing an answer goes back to the list; it is not sent as the answer', () => {
    const { h, anna } = alderman();
    anna.send('vragen');
    anna.press('case:RSW-2026-000042');
    // Regression: it became the answer: “vragen”, with "Ja, versturen" one tap away.
    const back = anna.send('vragen');
    expect(back.calls.map((c) => c.service)).toEqual(['cases.assigned']);
    expect(back.text).toContain(h.t('staff.cases.list'));
    expect(anna.at).toBe('staff-cases/pick');
  });

  it('reads an answer as words, even one that starts with a menu word', () => {
    const { anna } = alderman();
    anna.send('vragen');
    anna.press('case:RSW-2026-000042');
    anna.send('vragen over afval kunt u ook bij het afvalloket stellen');
    expect(anna.state.data).toMatchObject({
      answer: 'vragen over afval kunt u ook bij het afvalloket stellen',
    });
    expect(anna.at).toBe('staff-cases/confirm');
  });

  it('asks again at the confirmation on an unclear answer, and sends nothing', () => {
    const { h, anna } = alderman();
    anna.send('vragen');
    anna.press('case:RSW-2026-000042');
    anna.send(answer);
    const again = anna.send('hmm');
    expect(again.calls).toEqual([]);
    expect(again.text).toBe(h.t('staff.cases.confirm', { text: answer }));
    expect(again.choices.map((c) => c.id)).toEqual(['yes', 'no', 'info']);
  });

  it('refuses a case that is not the alderman’s', () => {
    const { h, anna } = alderman();
    anna.send('vragen');
    expect(anna.send('RSW-2026-000999').text).toContain(h.t('staff.cases.not_yours'));
  });

  it('goes back to the menu on anything else in the list', () => {
    const { h, anna } = alderman();
    anna.send('vragen');
    expect(anna.send('later').text).toBe(h.t('core.menu.prompt'));
  });

  it('gives the reason when the answer could not be stored', () => {
    const { h, anna } = alderman({
      'cases.answer': () => {
        throw new DomainError('case.concurrent_change');
      },
    });
    anna.send('vragen');
    anna.press('case:RSW-2026-000042');
    anna.send(answer);
    expect(anna.press('yes').text).toContain(
      h.t('staff.cases.error', { reason: h.t('cases.error.concurrent_change') }),
    );
    expect(h.jobs).toEqual([]);
  });

  it('sends what the alderman wrote as a question for information; the resident is asked to reply', () => {
    const { h, anna, resident } = alderman({
      'cases.staff-request-info': ({ reference }): CaseView => ({
        ...(reference === second.reference ? second : first),
        status: 'waiting',
      }),
    });
    anna.send('vragen');
    anna.press('case:RSW-2026-000042');
    anna.send('Welk huisnummer is het?');
    const sent = anna.press('info');
    expect(sent.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.staff-request-info', { reference: 'RSW-2026-000042', question: 'Welk huisnummer is het?' }],
    ]);
    expect(sent.text).toContain(h.t('staff.cases.info_sent', { reference: 'RSW-2026-000042' }));
    expect(anna.at).toBe('menu/main');
    expect(resident.received.slice(-2).map((m) => m.text)).toEqual([
      h.t('case.info_request', { reference: 'RSW-2026-000042', question: 'Welk huisnummer is het?' }),
      h.t('info.write', { reference: 'RSW-2026-000042' }),
    ]);
    expect(resident.at).toBe('case-info/write');
  });

  it('does not ask the resident twice while their information is awaited', () => {
    const { h, anna, resident } = alderman({
      'cases.staff-request-info': () => {
        throw new DomainError('case.already_waiting');
      },
    });
    anna.send('vragen');
    anna.press('case:RSW-2026-000042');
    anna.send('Welk huisnummer is het?');
    expect(anna.press('info').text).toContain(
      h.t('staff.cases.already_waiting', { reference: 'RSW-2026-000042' }),
    );
    expect(h.jobs).toEqual([]);
    expect(resident.at).toBe('menu/main');
  });

  it('help names the alderman’s own words, at the menu and while writing; a resident’s help does not', () => {
    const { h, anna, resident } = alderman();
    const words = h.t('staff.help', { example: 'RSW-2026-000042' });
    // Regression: the alderman got the residents' help only, so "vragen", "antwoord", "stand" and
    // "einde" were nowhere to be found once the link message had scrolled away.
    expect(anna.send('hulp').text).toContain(`${words}\n${h.t('core.help')}`);
    anna.send('vragen');
    anna.press('case:RSW-2026-000042');
    expect(anna.send('help').text).toBe(`${words}\n${h.t('core.help_flow')}`);
    expect(anna.at).toBe('staff-cases/write');
    expect(resident.send('hulp').text).not.toContain(words);
  });

  it('lets "menu" out of writing an answer', () => {
    const { h, anna } = alderman();
    anna.send('vragen');
    anna.press('case:RSW-2026-000042');
    expect(anna.send('menu').text).toBe(h.t('core.menu.prompt'));
  });

  it('a resident who writes "vragen" gets their own questions', () => {
    const { resident } = alderman({ 'cases.mine': () => [] });
    expect(resident.send('vragen').calls.map((c) => c.service)).toEqual(['cases.mine']);
  });
});

describe('looking a case up by its reference', () => {
  // Regression: "RSW-2026-000050" alone got "Sorry, dat begrijp ik niet goed. Kies een nummer uit de
  // lijst." and "status RSW-2026-000050" the resident's "Ik vind geen vraag van u met dat nummer".
  it('opens the alderman’s own case from the menu, alone or after "status", as "antwoord <reference>" does', () => {
    const { h, anna } = alderman();
    for (const typed of ['RSW-2026-000050', 'status rsw 2026 50']) {
      const turn = anna.send(typed);
      expect(turn.calls.map((c) => [c.service, c.args])).toEqual([
        ['cases.staff-find', { reference: 'RSW-2026-000050' }],
      ]);
      expect(turn.text).toContain(second.text);
      expect(turn.text).toContain(h.t('staff.cases.write'));
      expect(anna.at).toBe('staff-cases/write');
      anna.send('menu');
    }
    anna.send('status RSW-2026-000050');
    anna.send(answer);
    expect(anna.press('yes').calls[0]?.args).toEqual({ reference: 'RSW-2026-000050', text: answer });
  });

  // Regression: after "vragen", "status RSW-…" asked "U bent bezig met: Open vragen. Wilt u daarmee
  // stoppen?", and the reference typed next got "Kies een van de knoppen".
  it('opens it with "status <reference>" at the list too, without asking to leave the list', () => {
    const { h, anna } = alderman();
    anna.send('vragen');
    const turn = anna.send('status RSW-2026-000050');
    expect(turn.text).not.toContain(h.t('switch.yes'));
    expect(turn.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.staff-find', { reference: 'RSW-2026-000050' }],
    ]);
    expect(anna.at).toBe('staff-cases/write');
  });

  it('gives a question the alderman asked as a resident its status, and refuses any other', () => {
    const own = caseOf({ id: 'c-9', reference: 'RSW-2026-000009', residentKey: 'telegram:42' });
    const { h, anna } = alderman({
      'cases.find': ({ reference }) => {
        if (reference !== own.reference) throw new DomainError('case.not_found');
        return own;
      },
    });
    const mine = anna.send('status RSW-2026-000009');
    expect(mine.calls.map((c) => c.service)).toEqual(['cases.staff-find', 'cases.find']);
    expect(mine.text).toContain(
      h.t('status.detail', {
        reference: own.reference,
        topic: 'Afval',
        status: h.t('cases.status.routed'),
        date: 'dinsdag 15 december',
      }),
    );
    const other = anna.send('RSW-2026-000777');
    expect(other.text).toContain(h.t('staff.cases.not_yours'));
    expect(other.text).not.toContain(h.t('status.not_found', { example: 'RSW-2026-000042' }));
    expect(anna.at).toBe('menu/main');
  });

  it('a resident’s reference alone is still the status of their own question', () => {
    const { resident } = alderman({ 'cases.find': () => first });
    expect(resident.send('RSW-2026-000042').calls.map((c) => c.service)).toEqual(['cases.find']);
  });
});

describe('staff-answer flow', () => {
  it('"antwoord <reference> <text>" answers at once and reaches the resident', () => {
    const { h, anna, resident } = alderman();
    const turn = anna.send(`antwoord rsw-2026-42: ${answer}`);
    expect(turn.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.answer', { reference: 'RSW-2026-000042', text: answer }],
    ]);
    expect(turn.text).toContain(h.t('staff.cases.sent', { reference: 'RSW-2026-000042' }));
    expect(resident.received.map((m) => m.text)).toContain(
      h.t('answer.received', { reference: 'RSW-2026-000042', answer }),
    );
  });

  it('opens the question when the text is missing; the next message is the answer', () => {
    const { h, anna } = alderman();
    // Regression: this explained how to use "antwoord" instead of taking the alderman there.
    const turn = anna.send('antwoord RSW-2026-000042');
    expect(turn.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.staff-find', { reference: 'RSW-2026-000042' }],
    ]);
    expect(turn.text).toContain(first.text);
    expect(turn.text).toContain(h.t('staff.cases.write'));
    expect(anna.at).toBe('staff-cases/write');
    anna.send(answer);
    expect(anna.press('yes').calls[0]?.args).toEqual({ reference: 'RSW-2026-000042', text: answer });
  });

  it('forgives a typo in "antwoord", as in the words residents type', () => {
    const { anna } = alderman();
    for (const typed of ['antwood', 'Antwort', 'antwoord:']) {
      const turn = anna.send(`${typed} RSW-2026-000042 ${answer}`);
      expect(turn.calls.map((c) => [c.service, c.args])).toEqual([
        ['cases.answer', { reference: 'RSW-2026-000042', text: answer }],
      ]);
    }
  });

  it('refuses anyone who is not linked staff, without calling the service', () => {
    const { h, resident } = alderman();
    const turn = resident.send(`antwoord RSW-2026-000042 ${answer}`);
    expect(turn.calls).toEqual([]);
    expect(turn.text).toContain(h.t('staff.only'));
  });

  it('refuses another alderman’s case', () => {
    const { h, anna } = alderman({
      'cases.answer': () => {
        throw new DomainError('staff.not_yours');
      },
    });
    expect(anna.send(`antwoord RSW-2026-000777 ${answer}`).text).toContain(h.t('staff.cases.not_yours'));
  });
});

describe('staff case events', () => {
  it('tells the alderman of a new case, a reminder, an escalation and a resident’s reaction', () => {
    const { h, anna } = alderman();
    const vars = {
      reference: first.reference,
      district: 'Muziekbuurt, Cluis en Eelaart',
      topic: 'Afval',
      date: 'dinsdag 15 december',
    };
    expect(anna.fire('case.assigned', { case: first }).text).toBe(
      h.t('staff.case.assigned', { ...vars, words: first.text }),
    );
    expect(anna.fire('case.reminder', { case: first }).text).toBe(h.t('staff.case.reminder', vars));
    expect(anna.fire('case.escalated', { case: first }).text).toBe(h.t('staff.case.escalated', vars));
    expect(anna.fire('case.reopened', { case: first, words: 'Hij is niet geleegd.' }).text).toBe(
      h.t('staff.case.reopened', { ...vars, words: 'Hij is niet geleegd.' }),
    );
    expect(anna.at).toBe('menu/main');
  });

  it('tells the alderman a case went to another team, by the team’s name, and leaves her where she was', () => {
    const { h, anna } = alderman();
    anna.send('vragen');
    const toTeam = caseOf({ assignee: { type: 'department', id: 'afval', name: 'Team Afval en Reiniging' } });
    expect(anna.fire('case.handed_over', { case: toTeam }).text).toBe(
      h.t('staff.case.handed_over', { reference: first.reference, to: 'Team Afval en Reiniging' }),
    );
    const toColleague = caseOf({ kind: 'proposal', assignee: { type: 'alderman', id: 'fatma-yilmaz' } });
    expect(anna.fire('case.handed_over', { case: toColleague }).text).toBe(
      h.t('staff.case.handed_over_proposal', {
        reference: first.reference,
        to: h.t('staff.case.to_alderman', { name: 'Fatma Yilmaz' }),
      }),
    );
    expect(anna.at).toBe('staff-cases/pick');
  });
});
