import { describe, expect, it } from 'vitest';
import { departmentsNamed } from '../../src/features/cases/teams.js';

const departments = [
  { id: 'afval', name: 'Team Afval en Reiniging' },
  { id: 'vergunningen', name: 'Team Vergunningen' },
  { id: 'kcc', name: 'Klantcontactcentrum' },
];
const ids = (text: string) => departmentsNamed(departments, text).map((d) => d.id);

describe('departmentsNamed (the team an alderman forwards a question to)', () => {
  it('finds a department by its id or by words of its name, with or without "naar"', () => {
    expect(ids('naar afval')).toEqual(['afval']);
    expect(ids('Afval')).toEqual(['afval']);
    expect(ids('naar team vergunningen')).toEqual(['vergunningen']);
    expect(ids('aan het klantcontactcentrum')).toEqual(['kcc']);
    expect(ids('to kcc')).toEqual(['kcc']);
  });

  it('gives every department words fit, and none for words that fit none or for no words', () => {
    expect(ids('naar team')).toEqual(['afval', 'vergunningen']);
    expect(ids('naar de brandweer')).toEqual([]);
    expect(ids('naar')).toEqual([]);
    expect(ids('')).toEqual([]);
  });
});
