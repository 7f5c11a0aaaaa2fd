import { describe, expect, it } from 'vitest';
import { formatDate } from '../../src/i18n/format.js';
import { flowHarness } from '../support/flow-harness.js';

function waiting() {
  const h = flowHarness({ now: '2026-12-01T09:00:00Z', services: { 'webcare.request': () => ({}) } });
  const anna = h.chat('anna');
  anna.send('hoi');
  anna.send('medewerker');
  return { h, anna };
}

describe('webcare events', () => {
  it('while an operator has the conversation, the bot stays silent and the operator speaks', () => {
    const { h, anna } = waiting();
    expect(anna.fire('webcare.taken', {}).text).toBe(h.t('webcare.taken'));
    expect(anna.send('Mijn container is niet geleegd').replies).toEqual([]);
    expect(anna.send('2').replies).toEqual([]);
    expect(anna.fire('webcare.reply', { text: 'Ik kijk het voor u na.' }).text).toBe(
      'Ik kijk het voor u na.',
    );
    expect(anna.state.mode).toBe('human');
  });

  it('an operator reply is stored as written by that operator, not by the chatbot', () => {
    // Regression: the reply went out without its author, and the takeover page and the chat log
    // labelled it "Chatbot of medewerker" like every message of the bot.
    const { anna } = waiting();
    anna.fire('webcare.taken', {});
    const said = anna.fire('webcare.reply', { text: 'Ik kijk het voor u na.', operatorId: 'op-7' });
    expect(said.replies.map((m) => [m.text, m.author])).toEqual([
      ['Ik kijk het voor u na.', { role: 'operator', id: 'op-7' }],
    ]);
    // A reply queued before replies carried their operator is still an operator's, unnamed.
    expect(anna.fire('webcare.reply', { text: 'Bent u er nog?' }).replies[0]?.author).toEqual({
      role: 'operator',
    });
  });

  it('a hand-back tells the resident and offers the menu', () => {
    const { h, anna } = waiting();
    anna.fire('webcare.taken', {});
    const back = anna.fire('webcare.handed_back', {});
    expect(back.text).toContain(h.t('webcare.handed_back'));
    expect(anna.state.mode).toBe('bot');
    expect(anna.flags.needsHuman).toBe(false);
    expect(anna.at).toBe('menu/main');
  });

  it('a case made of the conversation gives the resident its reference and answer-by date; the operator stays', () => {
    const { h, anna } = waiting();
    anna.fire('webcare.taken', {});
    const answerBy = Date.parse('2026-12-08T22:59:59Z');
    const told = anna.fire('webcare.case_made', { reference: 'RSW-2026-000042', answerBy });
    const date = formatDate(new Date(answerBy), 'nl', 'Europe/Amsterdam', new Date('2026-12-01T09:00:00Z'));
    expect(date).toBe('dinsdag 8 december');
    expect(told.text).toBe(h.t('webcare.case_made', { reference: 'RSW-2026-000042', date }));
    expect(told.text).toContain('RSW-2026-000042');
    expect(anna.state.mode).toBe('human');
    expect(anna.send('Dank u').replies).toEqual([]);
  });

  it('global words still work during a takeover', () => {
    const { h, anna } = waiting();
    anna.fire('webcare.taken', {});
    expect(anna.send('stop').text).not.toBe('');
    expect(anna.at).toMatch(/^stop\//);
    // At the stop question help asks it again: its "no" still goes back to waiting.
    expect(anna.send('hulp').text).toContain(h.t('core.help_flow'));
    expect(anna.at).toMatch(/^stop\//);
  });

  it("after the resident went back to the menu, the operator's words no longer reach them as the bot", () => {
    const { anna } = waiting();
    anna.send('menu');
    expect(anna.fire('webcare.reply', { text: 'Hallo?' }).replies).toEqual([]);
    expect(anna.fire('webcare.handed_back', {}).replies).toEqual([]);
  });
});
