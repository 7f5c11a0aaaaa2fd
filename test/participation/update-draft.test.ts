import { describe, expect, it } from 'vitest';
import { checkDraft, type UpdateDraft } from '../../src/features/participation/updates.js';
import { DomainError } from '../../src/shared/errors.js';

const rules = {
  districtIds: ['muziekbuurt', 'oud-rijswijk'],
  topicIds: ['afval', 'verkeer'],
  today: '2026-12-02',
};
const draft: UpdateDraft = {
  title: 'Nieuw plein',
  text: 'Wij maken het plein groener.',
  districts: ['muziekbuurt'],
  level: 'raadplegen',
};

function refusal(d: Partial<UpdateDraft>): string | undefined {
  try {
    checkDraft({ ...draft, ...d }, rules);
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('checking an update before it is sent', () => {
  // Regression (review of issue 17): "--until 2027-02-30" reached residents as "dinsdag 2 maart 2027",
  // and "--until 2020-01-01" told them they could still influence it until a date long gone.
  it('refuses an "until" date that does not exist or already passed; today and later are fine', () => {
    expect(refusal({ until: '2027-02-30' })).toBe('participation.until');
    expect(refusal({ until: '2027-13-01' })).toBe('participation.until');
    expect(refusal({ until: '2026-12-01' })).toBe('participation.until');
    expect(refusal({ until: '2026-12-02' })).toBeUndefined();
    expect(checkDraft({ ...draft, until: ' 2027-01-15 ' }, rules).until).toBe('2027-01-15');
  });

  // Regression (review of issue 17): an unknown --topic was stored and sent as if it were one.
  it("refuses a topic that is not one of the municipality's; a known one is kept", () => {
    expect(refusal({ topic: 'parkeren' })).toBe('participation.unknown_topic');
    expect(checkDraft({ ...draft, topic: 'afval' }, rules).topic).toBe('afval');
    expect(checkDraft({ ...draft, topic: ' ' }, rules).topic).toBeUndefined();
  });
});
