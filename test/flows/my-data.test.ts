import { describe, expect, it } from 'vitest';
import { flowHarness, type HarnessOptions } from '../support/flow-harness.js';
import { caseOf, remembered as rememberedAnna } from './fixtures.js';

const URL_OF = (h: ReturnType<typeof flowHarness>) => h.municipality.privacy.url;

/** A resident who let us remember the district (Muziekbuurt) at 09:00. */
function remembered(services: HarnessOptions['services'] = { 'participation.mine': () => [] }) {
  return rememberedAnna({ services });
}

// Rijswijk's terms (data/retention.json: 90, 730 and 365 days), as a resident reads them.
const terms = { chatTerm: '90 dagen', caseTerm: '2 jaar', bookingTerm: '1 jaar' };

/** A fake privacy-request service: the case it makes, or the open one of the same type it found. */
function requests() {
  const made: { type: string; text: string }[] = [];
  const service = (args: { type: 'access' | 'erasure'; text: string }) => {
    const existing = made.findIndex((m) => m.type === args.type);
    if (existing < 0) made.push({ type: args.type, text: args.text });
    const n = existing < 0 ? made.length : existing + 1;
    const answerBy = Date.parse('2027-01-01T22:59:59.999Z');
    const c = caseOf({ id: `case-${n}`, reference: `RSW-2026-00000${n}`, kind: 'privacy', answerBy });
    return { case: c, existing: existing >= 0 };
  };
  return { made, service };
}

describe('my-data flow', () => {
  it('says what is kept and for how long and the remembered district, then offers to send an access request', () => {
    const { h, anna } = remembered();
    const turn = anna.send('mijn gegevens');
    expect(turn.replies.map((m) => m.text)).toEqual([
      h.t('privacy.my_data', terms),
      h.t('privacy.my_district', { district: 'Muziekbuurt, Cluis en Eelaart' }),
      h.t('privacy.offer_access'),
    ]);
    expect(turn.choices.map((c) => [c.id, c.label])).toEqual([
      ['yes', h.t('privacy.send_yes')],
      ['no', h.t('privacy.send_no')],
    ]);
    // It only reads: the district news they said yes to.
    expect(turn.calls.map((c) => c.service)).toEqual(['participation.mine']);
    expect(anna.at).toBe('my-data/send');
    expect(anna.state.profile.districtId).toBe('muziekbuurt');
  });

  it('on a clear yes registers the request for the privacy team and tells the reference and date; asked again, it tells the same one', () => {
    const { made, service } = requests();
    const { h, anna } = remembered({ 'participation.mine': () => [], 'cases.privacy-request': service });
    anna.send('mijn gegevens');
    // Unclear: asked again, nothing sent.
    anna.send('misschien');
    expect(made).toEqual([]);
    const sent = anna.press('yes');
    expect(sent.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.privacy-request', { type: 'access', text: h.t('privacy.case_text_access'), language: 'nl' }],
    ]);
    expect(sent.replies[0]?.text).toBe(
      h.t('privacy.request_created', { reference: 'RSW-2026-000001', date: 'vrijdag 1 januari 2027' }),
    );
    // Routed through the queue like every case.
    expect(sent.effects).toEqual([
      { type: 'schedule', name: 'case.route', data: { caseId: 'case-1' }, jobId: 'case-route-case-1' },
    ]);
    expect(anna.at).toBe('menu/main');

    anna.send('mijn gegevens');
    const again = anna.send('ja');
    expect(again.replies[0]?.text).toBe(
      h.t('privacy.request_existing', { reference: 'RSW-2026-000001', date: 'vrijdag 1 januari 2027' }),
    );
    expect(again.effects).toEqual([]);
    expect(made).toHaveLength(1);
    // The chat deleted nothing.
    expect(anna.state.profile.districtId).toBe('muziekbuurt');
  });

  it('on no sends nothing and says where else to ask', () => {
    const { made, service } = requests();
    const { h, anna } = remembered({ 'participation.mine': () => [], 'cases.privacy-request': service });
    anna.send('mijn gegevens');
    expect(anna.press('no').replies[0]?.text).toBe(h.t('privacy.request_not_sent', { url: URL_OF(h) }));
    expect(made).toEqual([]);
    expect(anna.at).toBe('menu/main');
  });

  // Regression (review of issue 17): the consent to district news, stored with its time, was not shown.
  it('shows the district news the resident said yes to, with the day, and how to stop it', () => {
    const since = Date.parse('2026-11-20T10:00:00Z');
    const { h, anna } = remembered({
      'participation.mine': () => [
        { districtId: 'muziekbuurt', topic: null, since },
        { districtId: 'muziekbuurt', topic: 'afval', since },
      ],
    });
    const texts = anna.send('mijn gegevens').replies.map((m) => m.text);
    const shown = texts.find((t) =>
      t.startsWith(h.t('privacy.my_updates', { list: '' }).split('\n')[0] ?? '-'),
    );
    expect(shown).toContain('Muziekbuurt, Cluis en Eelaart');
    expect(shown).toContain(h.t('participation.topic_all'));
    expect(shown).toContain('Afval');
    expect(shown).toContain('20 november');
    expect(shown).toContain('updates uit');
    expect(texts.indexOf(shown ?? '')).toBeLessThan(texts.indexOf(h.t('privacy.offer_access')));
  });

  it('says no district is remembered when none is, and answers in English', () => {
    const { service } = requests();
    const h = flowHarness({ services: { 'participation.mine': () => [], 'cases.privacy-request': service } });
    const sam = h.chat('sam');
    sam.send('hello');
    sam.send('English');
    const turn = sam.send('what do you keep about me');
    const en = h.tIn('en');
    expect(turn.replies.map((m) => m.text)).toContain(en('privacy.no_district'));
    expect(turn.replies.map((m) => m.text)).toContain(en('privacy.offer_access'));
    const sent = sam.send('yes');
    expect(sent.calls[0]?.args).toMatchObject({
      type: 'access',
      text: en('privacy.case_text_access'),
      language: 'en',
    });
    expect(sent.replies[0]?.text).toBe(
      en('privacy.request_created', { reference: 'RSW-2026-000001', date: 'Friday 1 January 2027' }),
    );
  });
});

describe('erase-data flow', () => {
  // Regression (a resident's walkthrough): the offer of a copy says "typ 'verwijder mijn gegevens'"
  // for erasure; typing it asked "U bent bezig met: Uw gegevens bekijken. Wilt u daarmee stoppen?".
  it("typing 'verwijder mijn gegevens' as the copy's offer says goes on to erasure, without a switch question", () => {
    const { h, anna } = remembered();
    anna.send('wat weten jullie van mij');
    expect(anna.at).toBe('my-data/send');
    const turn = anna.send('verwijder mijn gegevens');
    expect(turn.replies.map((m) => m.text)).toEqual([
      h.t('privacy.erase_what'),
      h.t('privacy.offer_erasure'),
    ]);
    expect(anna.at).toBe('erase-data/send');
  });

  it('says honestly what erasure does, and only on a clear yes registers an erasure request; deletes nothing', () => {
    const { made, service } = requests();
    const { h, anna } = remembered({ 'participation.mine': () => [], 'cases.privacy-request': service });
    const turn = anna.send('verwijder mijn gegevens');
    expect(turn.replies.map((m) => m.text)).toEqual([
      h.t('privacy.erase_what'),
      h.t('privacy.offer_erasure'),
    ]);
    expect(turn.calls).toEqual([]);
    const sent = anna.press('yes');
    expect(sent.calls[0]?.args).toMatchObject({ type: 'erasure', text: h.t('privacy.case_text_erasure') });
    expect(sent.replies[0]?.text).toContain('RSW-2026-000001');
    expect(made.map((m) => m.type)).toEqual(['erasure']);
    // The chat alone deletes nothing: the district and the conversation stay until the privacy team acts.
    expect(anna.state.profile.districtId).toBe('muziekbuurt');
  });
});

describe('forget-district flow', () => {
  it('stores when consent was given, and withdraws it after a clear yes', () => {
    const { h, anna } = remembered();
    expect(anna.state.profile.districtConsentAt).toBe(h.clock.now().getTime());
    const ask = anna.send('vergeet mijn wijk');
    expect(ask.text).toBe(h.t('privacy.forget_district', { district: 'Muziekbuurt, Cluis en Eelaart' }));
    expect(ask.choices.map((c) => c.id)).toEqual(['yes', 'no']);
    // An unclear answer is asked again, never taken as yes.
    anna.send('misschien');
    expect(anna.state.profile.districtId).toBe('muziekbuurt');
    const done = anna.press('yes');
    expect(done.replies[0]?.text).toBe(h.t('privacy.district_forgotten'));
    expect(anna.state.profile.districtId).toBeUndefined();
    expect(anna.state.profile.districtConsentAt).toBeUndefined();
    expect(anna.at).toBe('menu/main');
    // Nothing left to forget.
    expect(anna.send('vergeet mijn wijk').replies[0]?.text).toBe(h.t('privacy.no_district'));
  });

  it('keeps the district on no', () => {
    const { h, anna } = remembered();
    anna.send('vergeet mijn wijk');
    expect(anna.press('no').replies[0]?.text).toBe(h.t('privacy.district_kept'));
    expect(anna.state.profile.districtId).toBe('muziekbuurt');
  });
});
