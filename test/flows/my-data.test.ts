import { describe, expect, it } from 'vitest';
import { flowHarness, type HarnessOptions } from '../support/flow-harness.js';

const URL_OF = (h: ReturnType<typeof flowHarness>) => h.municipality.privacy.url;

/** A resident who let us remember the district (Muziekbuurt) at 09:00. */
function remembered(services: HarnessOptions['services'] = { 'participation.mine': () => [] }) {
  const h = flowHarness({ services });
  const anna = h.chat('anna');
  anna.send('hoi');
  anna.send('2282AB');
  anna.send('ja');
  return { h, anna };
}

function terms(h: ReturnType<typeof flowHarness>) {
  const r = h.municipality.retention;
  return {
    chatDays: r.messages.days,
    caseDays: r.cases.days,
    bookingDays: r.bookings.days,
    url: URL_OF(h),
  };
}

describe('my-data flow', () => {
  it('says what is kept and for how long, the remembered district, and where to ask; deletes nothing', () => {
    const { h, anna } = remembered();
    const turn = anna.send('mijn gegevens');
    expect(turn.replies.map((m) => m.text).slice(0, 3)).toEqual([
      h.t('privacy.my_data', terms(h)),
      h.t('privacy.my_district', { district: 'Muziekbuurt, Cluis en Eelaart' }),
      h.t('privacy.how_to_ask', terms(h)),
    ]);
    // It only reads: the district news they said yes to.
    expect(turn.calls.map((c) => c.service)).toEqual(['participation.mine']);
    expect(anna.at).toBe('menu/main');
    expect(anna.state.profile.districtId).toBe('muziekbuurt');
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
    expect(texts.indexOf(shown ?? '')).toBeLessThan(texts.indexOf(h.t('privacy.how_to_ask', terms(h))));
  });

  it('says no district is remembered when none is, and answers in English', () => {
    const h = flowHarness({ services: { 'participation.mine': () => [] } });
    const sam = h.chat('sam');
    sam.send('hello');
    sam.send('English');
    const turn = sam.send('what do you keep about me');
    const en = h.tIn('en');
    expect(turn.replies.map((m) => m.text)).toContain(en('privacy.no_district'));
    expect(turn.replies.map((m) => m.text)).toContain(en('privacy.how_to_ask', terms(h)));
  });
});

describe('erase-data flow', () => {
  it('says honestly what erasure does to messages, open questions and appointments, and where to ask', () => {
    const { h, anna } = remembered();
    const turn = anna.send('verwijder mijn gegevens');
    expect(turn.replies.map((m) => m.text).slice(0, 2)).toEqual([
      h.t('privacy.erase_what'),
      h.t('privacy.how_to_ask', terms(h)),
    ]);
    // The chat alone deletes nothing: the district and the conversation stay until the privacy team acts.
    expect(turn.calls).toEqual([]);
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
