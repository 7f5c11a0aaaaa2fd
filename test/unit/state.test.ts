import { describe, expect, it } from 'vitest';
import { STATE_VERSION, copyState, initialState, restoreState } from '../../src/engine/state.js';
import { matchChoice, normalize } from '../../src/engine/input.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';
import { officeAvailability } from '../../src/municipality/office-hours.js';

describe('stored conversation state', () => {
  it('keeps current state as it is', () => {
    const state = { ...initialState('en'), greeted: true, at: { flow: 'district', step: 'ask' } };
    expect(restoreState(state, 'nl')).toEqual({ state, reset: false });
  });

  it('migrates an older version kindly: keeps language, opt-out and profile, drops the half-finished flow', () => {
    const old = {
      v: STATE_VERSION - 1,
      lang: 'en',
      greeted: true,
      mode: 'stopped',
      flow: 'book',
      step: 3,
      profile: { districtId: 'te-werve' },
    };
    const { state, reset } = restoreState(old, 'nl');
    expect(reset).toBe(true);
    expect(state).toMatchObject({
      v: STATE_VERSION,
      lang: 'en',
      greeted: true,
      mode: 'stopped',
      profile: { districtId: 'te-werve' },
    });
    expect(state.at).toBeUndefined();
  });

  it('copies state as structuredClone does, sharing nothing with it', () => {
    const state = {
      ...initialState('nl'),
      at: { flow: 'book', step: 'confirm' },
      stack: [{ flow: 'menu', step: 'main' }],
      data: { slot: { start: '2026-12-07T09:00', free: [1, 2, null] }, when: new Date(0), none: undefined },
      choices: [{ id: 'yes', label: 'Ja' }],
      profile: { districtId: 'te-werve', districtConsentAt: 1 },
      burst: { since: 5, count: 2, warned: true },
    };
    const copy = copyState(state);
    expect(copy).toStrictEqual(structuredClone(state));
    expect(Object.keys(copy.data)).toEqual(['slot', 'when', 'none']);
    expect(copy.data.when).toBeInstanceOf(Date);
    expect(copy.data.when).not.toBe(state.data.when);
    expect(copy.data.slot).not.toBe(state.data.slot);
    expect(copy.stack[0]).not.toBe(state.stack[0]);
    expect(copy.choices?.[0]).not.toBe(state.choices[0]);
    expect(() => copyState({ ...state, data: { f: () => 1 } })).toThrow();
  });

  it('starts fresh from garbage instead of crashing', () => {
    expect(restoreState('not json state', 'nl').state).toEqual(initialState('nl'));
    expect(restoreState(null, 'nl').reset).toBe(false);
  });
});

describe('reading an answer to choices', () => {
  const vocab = loadVocabulary('data/vocabulary');
  const choices = [
    { id: 'yes', label: 'Ja, onthoud mijn wijk', means: 'yes' as const },
    { id: 'no', label: '🙅 Nee, liever niet', means: 'no' as const },
  ];
  it.each([
    ['2', 'no'],
    ['Ja, onthoud mijn wijk', 'yes'],
    ['JA, ONTHOUD MIJN WIJK!', 'yes'],
    ['nee, liever niet', 'no'],
    ['yes', 'yes'],
    ['3', undefined],
    ['misschien', undefined],
    ['klopt', 'yes'],
    ['nee dank je', 'no'],
    ['de eerste', 'yes'],
  ])('%j → %s', (text, id) => expect(matchChoice(vocab, choices, text)?.id).toBe(id));

  it('takes a pressed button by its id', () => expect(matchChoice(vocab, choices, '', 'no')?.id).toBe('no'));
  it('normalizes case, accents and surrounding punctuation', () =>
    expect(normalize('  Één  Vraag?! ')).toBe('een vraag'));
});

describe('office hours', () => {
  const hours = { mon: ['08:30', '17:00'], fri: ['08:30', '16:00'] } as const;
  const at = (iso: string) =>
    officeAvailability({ now: new Date(iso), timeZone: 'Europe/Amsterdam', hours: { ...hours } as never });
  it('is open on Monday 10:00 local (09:00 UTC in winter)', () =>
    expect(at('2026-11-30T09:00:00Z')).toEqual({ open: true }));
  it('on Friday evening says Monday 08:30', () =>
    expect(at('2026-12-04T18:00:00Z')).toEqual({ open: false, day: 'mon', time: '08:30', daysAhead: 3 }));
  it('early on Monday says today', () =>
    expect(at('2026-11-30T06:00:00Z')).toMatchObject({ open: false, day: 'mon', daysAhead: 0 }));
});
