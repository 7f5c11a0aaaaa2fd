import { describe, expect, it } from 'vitest';
import type { PollView } from '../../src/features/polls/views.js';
import { flowHarness, type HarnessOptions } from '../support/flow-harness.js';

const benches: PollView = {
  id: 'p1',
  question: 'Meer bankjes in het park?',
  options: ['Ja, graag', 'Nee', 'Weet ik niet'],
  scale: false,
  followUp: 'Waar precies?',
  closesAt: Date.parse('2026-12-20T12:00:00Z'),
  mine: null,
};
const scale: PollView = {
  id: 'p2',
  question: 'Hoe veilig voelt u zich in uw straat?',
  options: ['1', '2', '3', '4', '5'],
  scale: true,
  followUp: null,
  closesAt: null,
  mine: null,
};

/** A resident who remembered Oud Rijswijk as their district. */
function resident(services: HarnessOptions['services'] = {}) {
  const h = flowHarness({ services });
  const anna = h.chat('anna');
  anna.send('hoi');
  anna.send('wijkwethouder');
  anna.send('2280 AB');
  anna.send('ja');
  expect(anna.state.profile.districtId).toBe('oud-rijswijk');
  return { h, anna };
}

describe('poll flow', () => {
  it('shows the open poll of the remembered district, reads a typo as an option, asks the follow-up', () => {
    const { h, anna } = resident({ 'polls.open': () => [benches] });
    const asked = anna.send('peiling');
    expect(asked.calls[0]).toMatchObject({ service: 'polls.open', args: { districtId: 'oud-rijswijk' } });
    expect(asked.text).toContain(h.t('poll.question', { question: benches.question }));
    expect(asked.choices.map((c) => c.label)).toEqual(benches.options);
    // The first time: what is kept, how long, and that nobody sees their choice.
    expect(asked.text).toContain(h.t('poll.privacy', { count: 365 }));
    const answered = anna.send('ja grag');
    expect(answered.waiting).toMatchObject({
      service: 'polls.answer',
      args: { pollId: 'p1', districtId: 'oud-rijswijk', choice: 0 },
    });
    const follow = anna.resolve('polls.answer', { changed: false, followUp: 'Waar precies?' });
    expect(follow.text).toContain(h.t('poll.thanks', { choice: 'Ja, graag' }));
    expect(follow.text).toContain(h.t('poll.follow_up', { question: 'Waar precies?' }));
    // Free text: "afspraak" here is the resident's answer, not a new flow.
    const wrote = anna.send('Bij de afspraakplek bij de vijver');
    expect(wrote.waiting).toMatchObject({
      service: 'polls.follow_up',
      args: { pollId: 'p1', text: 'Bij de afspraakplek bij de vijver' },
    });
    expect(anna.resolve('polls.follow_up', {}).text).toContain(h.t('poll.follow_up_thanks'));
    expect(anna.at).toBe('menu/main');
  });

  // Regression: "mooi hoor" fitted both "Mooi" and "Niet mooi", and was asked again as not understood.
  it.each([
    ['mooi hoor', 0],
    ['niet mooi hoor', 1],
  ])('reads "%s" as the option that is just those words', (typed, choice) => {
    const square: PollView = { ...benches, options: ['Mooi', 'Niet mooi', 'Weet ik niet'], followUp: null };
    const { anna } = resident({ 'polls.open': () => [square] });
    anna.send('peiling');
    expect(anna.send(typed).waiting).toMatchObject({
      service: 'polls.answer',
      args: { pollId: 'p1', districtId: 'oud-rijswijk', choice },
    });
  });

  // Regression: "nee" at the free-text follow-up was stored as the resident's answer.
  it.each([
    ['nee', 'nl'],
    ['nee dank je', 'nl'],
    ['Nee hoor', 'nl'],
    ['no', 'en'],
    ['no thanks', 'en'],
  ])('"%s" at the follow-up is no comment: nothing is stored (%s)', (word) => {
    const { h, anna } = resident({ 'polls.open': () => [benches] });
    anna.send('peiling');
    anna.send('1');
    anna.resolve('polls.answer', { changed: false, followUp: 'Waar precies?' });
    expect(anna.at).toBe('poll/follow');
    const done = anna.send(word);
    expect(done.waiting).toBeUndefined();
    expect(done.text).toContain(h.t('poll.change_hint'));
    expect(h.calls.map((c) => c.service)).not.toContain('polls.follow_up');
    expect(anna.at).toBe('menu/main');
  });

  // Regression: an answer over 1,000 characters was stored cut off at 1,000, and the resident was thanked.
  it('an answer longer than the follow-up takes is asked shorter, not cut; the shorter one is stored', () => {
    const { h, anna } = resident({ 'polls.open': () => [benches] });
    anna.send('peiling');
    anna.send('1');
    anna.resolve('polls.answer', { changed: false, followUp: 'Waar precies?' });
    const long = 'Bij de speeltuin. '.repeat(60).trim();
    const asked = anna.send(long);
    expect(asked.waiting).toBeUndefined();
    expect(asked.text).toBe(h.t('poll.follow_up_too_long', { length: long.length, max: 1000 }));
    expect(asked.choices.map((c) => c.id)).toEqual(['skip']);
    expect(anna.at).toBe('poll/follow');
    const wrote = anna.send('Bij de speeltuin aan de Generaal Spoorlaan.');
    expect(wrote.waiting).toMatchObject({
      service: 'polls.follow_up',
      args: { pollId: 'p1', text: 'Bij de speeltuin aan de Generaal Spoorlaan.' },
    });
  });

  it('a comment that starts with "nee" is kept whole', () => {
    const { anna } = resident({ 'polls.open': () => [benches] });
    anna.send('peiling');
    anna.send('1');
    anna.resolve('polls.answer', { changed: false, followUp: 'Waar precies?' });
    const wrote = anna.send('Nee, liever bij de speeltuin aan de Generaal Spoorlaan');
    expect(wrote.waiting).toMatchObject({
      service: 'polls.follow_up',
      args: { pollId: 'p1', text: 'Nee, liever bij de speeltuin aan de Generaal Spoorlaan' },
    });
  });

  it('says when the resident answered before, takes a number, and says the answer changed', () => {
    const { h, anna } = resident({ 'polls.open': () => [{ ...benches, mine: 0, followUp: null }] });
    const asked = anna.send('peiling');
    expect(asked.text).toContain(h.t('poll.yours', { choice: 'Ja, graag' }));
    expect(asked.text).not.toContain(h.t('poll.privacy', { count: 365 }));
    expect(anna.send('2').waiting).toMatchObject({ service: 'polls.answer', args: { choice: 1 } });
    const done = anna.resolve('polls.answer', { changed: true, followUp: null });
    expect(done.text).toContain(h.t('poll.changed', { choice: 'Nee' }));
    expect(anna.at).toBe('menu/main');
  });

  it('asks which poll when there are several, and a 1-5 scale takes the number typed', () => {
    const { h, anna } = resident({ 'polls.open': () => [benches, scale] });
    const which = anna.send('enquete');
    expect(which.text).toContain(h.t('poll.choose', { district: 'Oud Rijswijk' }));
    const asked = anna.send('2');
    expect(asked.text).toContain(h.t('poll.scale_hint'));
    expect(anna.send('4').waiting).toMatchObject({
      service: 'polls.answer',
      args: { pollId: 'p2', choice: 3 },
    });
  });

  it('asks the district first (English too) when none is remembered, and says when no poll is open', () => {
    const h = flowHarness({ services: { 'polls.open': () => [] } });
    const bob = h.chat('bob');
    bob.send('hello');
    bob.send('english');
    const district = bob.send('poll');
    const en = h.tIn('en');
    expect(district.text).toContain(en('district.ask'));
    const none = bob.send('2285 AB');
    expect(none.text).toBeTruthy();
    // 2285 is split over two districts: the resident chooses.
    bob.press('Te Werve');
    // Not remembered: the district still counts for this poll.
    const chosen = bob.send('no');
    expect(chosen.calls[0]).toMatchObject({ service: 'polls.open', args: { districtId: 'te-werve' } });
    expect(chosen.text).toContain(en('poll.none', { district: 'Te Werve' }));
  });

  it('an answer after the poll closed is not stored, and the resident is told', () => {
    const { h, anna } = resident({ 'polls.open': () => [benches] });
    anna.send('peiling');
    anna.send('Nee');
    expect(anna.refuse('polls.answer', 'poll.closed').text).toContain(h.t('poll.closed_now'));
  });

  it('something that is no option is asked again; nothing is stored on a guess', () => {
    const { anna } = resident({ 'polls.open': () => [benches] });
    anna.send('peiling');
    const again = anna.send('misschien morgen');
    expect(again.calls).toEqual([]);
    expect(again.choices.map((c) => c.label)).toEqual(benches.options);
  });

  // Regression: at options "Ja", "Nee" and "Maakt mij niet uit", "ja hoor, graag meer bomen" got
  // "Sorry, dat begrijp ik niet goed": a yes picked only a choice marked as the yes.
  it.each([
    ['ja hoor, graag meer bomen', 0],
    ['Nee, liever niet', 1],
    ['yes please', 0],
    ['nee, maakt mij niet uit', 2],
  ] as const)('reads "%s" at plain Ja/Nee options as option %i', (text, choice) => {
    const trees: PollView = { ...benches, options: ['Ja', 'Nee', 'Maakt mij niet uit'] };
    const { anna } = resident({ 'polls.open': () => [trees] });
    anna.send('peiling');
    expect(anna.send(text).waiting).toMatchObject({ service: 'polls.answer', args: { choice } });
  });

  it('a yes is no option when two options are both a yes', () => {
    const twice: PollView = { ...benches, options: ['Ja', 'Ja hoor', 'Nee'] };
    const { anna } = resident({ 'polls.open': () => [twice] });
    anna.send('peiling');
    expect(anna.send('ja, zeker weten').calls).toEqual([]);
  });
});

describe("poll flow: 'poll.closed'", () => {
  it('tells the outcome, the figures and what the municipality will do', () => {
    const { h, anna } = resident();
    const told = anna.fire('poll.closed', {
      pollId: 'p1',
      question: 'Meer bankjes in het park?',
      results: [
        { label: 'Ja, graag', percent: 70 },
        { label: 'Nee', percent: 30 },
      ],
      outcome: 'Er komen in maart vier bankjes bij.',
    });
    expect(told.text).toContain(h.t('poll.outcome', { question: 'Meer bankjes in het park?' }));
    expect(told.text).toContain(h.t('poll.outcome_line', { label: 'Ja, graag', percent: 70 }));
    expect(told.text).toContain(h.t('poll.outcome_plan', { outcome: 'Er komen in maart vier bankjes bij.' }));
  });

  it('with too few answers it shows no figures', () => {
    const { h, anna } = resident();
    const told = anna.fire('poll.closed', { pollId: 'p1', question: 'Q?', results: null, outcome: '' });
    expect(told.text).toContain(h.t('poll.outcome_few'));
    expect(told.text).not.toContain('%');
  });
});

describe("poll flow: 'poll.invite' and held outcomes", () => {
  it('a subscriber is invited with the question and how to answer; typing "peiling" then shows it', () => {
    const { h, anna } = resident({ 'polls.open': () => [benches] });
    const invited = anna.fire('poll.invite', {
      broadcastId: 7,
      pollId: 'p1',
      question: benches.question,
      closesAt: benches.closesAt,
    });
    expect(invited.text).toContain(h.t('poll.invite', { question: benches.question }));
    expect(invited.text).toContain(h.t('poll.invite_how'));
    expect(anna.send('peiling').choices.map((c) => c.label)).toEqual(benches.options);
  });

  it('on a channel that may not write first the invitation and the outcome wait for the next message', () => {
    const { h, anna } = resident({ 'polls.open': () => [benches] });
    const invite = { broadcastId: 8, pollId: 'p1', question: benches.question, closesAt: null, hold: true };
    expect(anna.fire('poll.invite', invite).replies).toEqual([]);
    const outcome = { pollId: 'p0', question: 'Oud?', results: null, outcome: 'Wij doen X.', hold: true };
    expect(anna.fire('poll.closed', outcome).replies).toEqual([]);
    const next = anna.send('menu');
    expect(next.text).toContain(h.t('poll.invite', { question: benches.question }));
    expect(next.text).toContain(h.t('poll.outcome_plan', { outcome: 'Wij doen X.' }));
  });
});
