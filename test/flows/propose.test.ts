import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness, type FakeServices } from '../support/flow-harness.js';
import { caseOf } from './fixtures.js';

const plan = {
  what: 'Een moestuin voor de buurt op het grasveld.',
  where: 'Het grasveld aan de Vioolstraat',
  who: 'Ik en vijf buren',
  help: 'Een vergunning en wat geld voor aarde',
};
const proposal = caseOf({
  kind: 'proposal',
  topic: 'voorstel',
  text: plan.what,
  proposal: { where: plan.where, who: plan.who, help: plan.help },
  stage: 'received',
  status: 'new',
  answerBy: Date.parse('2026-12-16T22:59:59Z'),
});

/** A resident with a remembered district (Muziekbuurt) who says they have an idea. */
function idea(services: FakeServices = {}, words = 'Ik heb een idee') {
  const h = flowHarness({ services });
  const anna = h.chat('anna');
  anna.send('hoi');
  anna.send('2282AB');
  anna.send('ja');
  const turn = anna.send(words);
  return { h, anna, turn };
}

/** Answers the four questions. */
function answerAll(anna: ReturnType<ReturnType<typeof flowHarness>['chat']>) {
  anna.send(plan.what);
  anna.send(plan.where);
  anna.send(plan.who);
  return anna.send(plan.help);
}

describe('propose flow (a resident’s own plan becomes a proposal case)', () => {
  it('asks what, where, who and what help, shows it all, and sends it only on a clear yes', () => {
    const { h, anna, turn } = idea({ 'cases.propose': () => proposal });
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('proposal.intro'), h.t('proposal.what')]);
    expect(anna.send(plan.what).text).toBe(h.t('proposal.where'));
    expect(anna.send(plan.where).text).toBe(h.t('proposal.who'));
    expect(anna.send(plan.who).text).toBe(h.t('proposal.help'));
    const confirm = anna.send(plan.help);
    expect(confirm.text).toBe(h.t('proposal.confirm', plan));
    expect(confirm.choices.map((c) => c.id)).toEqual(['send', 'restart', 'cancel']);
    // "misschien" is no yes: nothing is sent, the summary comes again.
    const unsure = anna.send('misschien');
    expect(unsure.calls).toEqual([]);
    expect(unsure.text).toContain(h.t('proposal.confirm', plan));
    const sent = anna.send('ja graag');
    expect(sent.calls).toEqual([
      {
        service: 'cases.propose',
        args: { ...plan, districtId: 'muziekbuurt', language: 'nl' },
        by: 'console:anna',
      },
    ]);
    expect(sent.replies.map((m) => m.text)).toEqual([
      h.t('proposal.created', { reference: 'RSW-2026-000042', date: 'woensdag 16 december' }),
      h.t('proposal.created_followup', { reference: 'RSW-2026-000042' }),
      h.t('core.menu.prompt'),
    ]);
    expect(h.waitingJobs('case.route')).toMatchObject([{ data: { caseId: 'c-1' }, jobId: 'case-route-c-1' }]);
  });

  it('starts from "voorstel", "plan" and English words too', () => {
    for (const words of ['voorstel', 'Ik wil een voorstel doen', 'ik heb een plan voor de buurt']) {
      const { anna } = idea({}, words);
      expect(anna.at, words).toBe('propose/what');
    }
    const h = flowHarness();
    const bob = h.chat('bob');
    bob.send('hello');
    bob.send('english');
    const turn = bob.send('I have an idea for the park');
    expect(bob.at).toBe('propose/what');
    expect(turn.replies.map((m) => m.text)).toEqual([
      h.tIn('en')('proposal.intro'),
      h.tIn('en')('proposal.what'),
    ]);
  });

  it('asks the district when it is not known, then shows the summary', () => {
    const h = flowHarness({ services: { 'cases.propose': () => proposal } });
    const bob = h.chat('bob');
    bob.send('hoi');
    bob.send('voorstel');
    expect(answerAll(bob).text).toBe(h.t('district.ask'));
    bob.send('2286 AB');
    expect(bob.press('no').text).toContain(h.t('proposal.confirm', plan));
    expect(bob.press('send').calls[0]?.args).toMatchObject({ districtId: 'steenvoorde' });
  });

  it('starts again or stops without sending', () => {
    const { h, anna } = idea();
    answerAll(anna);
    expect(anna.press('restart').replies.at(-1)?.text).toBe(h.t('proposal.what'));
    expect(anna.state.data.proposal).toEqual({});
    answerAll(anna);
    const stopped = anna.press('cancel');
    expect(stopped.calls).toEqual([]);
    expect(stopped.replies[0]?.text).toBe(h.t('proposal.cancelled'));
    expect(anna.at).toBe('menu/main');
  });

  it('refuses an answer that is too long and asks again', () => {
    const { h, anna } = idea();
    anna.send(plan.what);
    expect(anna.send('x'.repeat(1001)).text).toBe(h.t('proposal.too_long', { max: 1000 }));
    expect(anna.at).toBe('propose/where');
    expect(anna.state.data.proposal).toEqual({ what: plan.what });
  });

  it('says so kindly when the proposal could not be stored', () => {
    const { h, anna } = idea({
      'cases.propose': () => {
        throw new DomainError('case.text_empty');
      },
    });
    answerAll(anna);
    expect(anna.press('send').replies[0]?.text).toBe(h.t('cases.error.text_empty'));
  });
});

describe('case.proposal_stage event (my-questions flow shows the stage)', () => {
  it('tells the resident each new stage, with the reason when it is not possible', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    const reviewing = anna.fire('case.proposal_stage', {
      case: { ...proposal, stage: 'reviewing', status: 'in_progress' },
      reason: null,
    });
    expect(reviewing.replies.map((m) => m.text)).toEqual([
      h.t('proposal.told.reviewing', { reference: proposal.reference }),
    ]);
    const invited = anna.fire('case.proposal_stage', {
      case: { ...proposal, stage: 'invited', status: 'in_progress' },
      reason: 'Wij bellen u deze week.',
    });
    expect(invited.replies.map((m) => m.text)).toEqual([
      h.t('proposal.told.invited', { reference: proposal.reference }),
      h.t('proposal.told.note', { reason: 'Wij bellen u deze week.' }),
    ]);
    const reason = 'Het grasveld is nodig voor de waterberging.';
    const declined = anna.fire('case.proposal_stage', {
      case: { ...proposal, stage: 'not_possible', status: 'answered', answer: reason },
      reason,
    });
    expect(declined.replies.map((m) => m.text)).toEqual([
      h.t('proposal.told.not_possible', { reference: proposal.reference, reason }),
    ]);
  });

  it('"status <ref>" and "mijn vragen" show the proposal with its stage', () => {
    const supported = { ...proposal, stage: 'supported' as const, status: 'answered' as const };
    const h = flowHarness({
      services: { 'cases.find': () => proposal, 'cases.mine': () => [supported] },
    });
    const anna = h.chat('anna');
    anna.send('hoi');
    expect(anna.send('status RSW-2026-000042').text).toContain(
      h.t('status.detail_proposal_waiting', {
        reference: proposal.reference,
        what: plan.what,
        stage: h.t('proposal.stage.received'),
        date: 'woensdag 16 december',
      }),
    );
    expect(anna.send('mijn vragen').text).toContain(
      h.t('status.line_proposal', { reference: proposal.reference, stage: h.t('proposal.stage.supported') }),
    );
  });

  // Regression (a resident's walkthrough): "mijn vragen" showed a question's "antwoord uiterlijk"
  // date, but a proposal still waiting for its first reaction without its date.
  it('"mijn vragen" shows the date of the first reaction for a proposal still waiting for it', () => {
    const reviewing = {
      ...proposal,
      id: 'case-2',
      reference: 'RSW-2026-000043',
      stage: 'reviewing' as const,
    };
    const h = flowHarness({ services: { 'cases.mine': () => [proposal, reviewing] } });
    const anna = h.chat('anna');
    anna.send('hoi');
    const text = anna.send('mijn vragen').text;
    expect(text).toContain(
      `${proposal.reference} · voorstel · ${h.t('proposal.stage.received')} · eerste reactie uiterlijk woensdag 16 december`,
    );
    // Once it had its first reaction, its stage says where it stands; no date.
    expect(text).toContain(
      h.t('status.line_proposal', { reference: reviewing.reference, stage: h.t('proposal.stage.reviewing') }),
    );
  });

  it('a proposal whose first reaction was put off shows the date the resident was told, in the list and its status', () => {
    const late = { ...proposal, promisedBy: Date.parse('2026-12-21T22:59:59Z') };
    const h = flowHarness({ services: { 'cases.mine': () => [late], 'cases.find': () => late } });
    const anna = h.chat('anna');
    anna.send('hoi');
    expect(anna.send('mijn vragen').text).toContain('eerste reactie uiterlijk maandag 21 december');
    h.advance(20_000);
    expect(anna.send('status RSW-2026-000042').text).toContain(
      'uiterlijk maandag 21 december een eerste reactie',
    );
  });
});
