import { describe, expect, it } from 'vitest';
import { NoRouteError, answerNorm, route } from '../../src/features/cases/routing.js';
import { parseRouting } from '../../src/municipality/case-data.js';
import { rijswijk } from './support.js';

const districts = [
  { id: 'oud-rijswijk', aldermanId: 'anna-de-vries' },
  { id: 'te-werve', aldermanId: 'pieter-jansen' },
];

const rules = parseRouting({
  rules: [
    {
      id: 'privacy',
      match: { kinds: ['privacy'] },
      assign: { type: 'department', id: 'privacy', name: 'Team Privacy' },
    },
    {
      id: 'parkeren-te-werve',
      match: { topics: ['verkeer-en-parkeren'], districts: ['te-werve'] },
      assign: { type: 'alderman', id: 'fatma-yilmaz' },
    },
    {
      id: 'afval',
      match: { topics: ['afval'] },
      assign: { type: 'department', id: 'afval', name: 'Team Afval' },
    },
    {
      id: 'afval-later',
      match: { topics: ['afval'] },
      assign: { type: 'department', id: 'ander', name: 'Ander team' },
    },
    {
      id: 'wijk',
      match: {},
      assign: { type: 'district-alderman', otherwise: { type: 'department', id: 'kcc', name: 'KCC' } },
    },
  ],
}).rules;

describe('route', () => {
  it('lets the first matching rule win', () => {
    expect(route({ topic: 'afval', districtId: 'te-werve' }, rules, districts)).toEqual({
      assignee: { type: 'department', id: 'afval', name: 'Team Afval' },
      ruleId: 'afval',
    });
  });

  it('needs both the topic and the district of a rule to match', () => {
    expect(route({ topic: 'verkeer-en-parkeren', districtId: 'te-werve' }, rules, districts).ruleId).toBe(
      'parkeren-te-werve',
    );
    expect(
      route({ topic: 'verkeer-en-parkeren', districtId: 'oud-rijswijk' }, rules, districts).assignee,
    ).toEqual({
      type: 'alderman',
      id: 'anna-de-vries',
    });
  });

  it("gives the district's alderman, or the fallback when the district is missing or unknown", () => {
    expect(route({ topic: 'overig', districtId: 'te-werve' }, rules, districts).assignee).toEqual({
      type: 'alderman',
      id: 'pieter-jansen',
    });
    const fallback = { type: 'department', id: 'kcc', name: 'KCC' };
    expect(route({ topic: 'overig', districtId: null }, rules, districts).assignee).toEqual(fallback);
    expect(route({ topic: 'overig', districtId: 'atlantis' }, rules, districts).assignee).toEqual(fallback);
  });

  it('passes over a district-alderman rule without fallback when there is no district', () => {
    const unchecked = [
      { id: 'wijk', match: {}, assign: { type: 'district-alderman' as const } },
      { id: 'kcc', match: {}, assign: { type: 'department' as const, id: 'kcc', name: 'KCC' } },
    ];
    expect(route({ topic: 'overig', districtId: null }, unchecked, districts).ruleId).toBe('kcc');
    expect(() => route({ topic: 'overig', districtId: null }, unchecked.slice(0, 1), districts)).toThrow(
      NoRouteError,
    );
  });

  it('routes the shipped Rijswijk rules: waste to the department, the rest to the district alderman', () => {
    const shipped = rijswijk.routing.rules;
    expect(route({ topic: 'afval', districtId: 'oud-rijswijk' }, shipped, districts).assignee).toMatchObject({
      type: 'department',
      id: 'afval',
    });
    expect(route({ topic: 'veiligheid', districtId: 'oud-rijswijk' }, shipped, districts).assignee).toEqual({
      type: 'alderman',
      id: 'anna-de-vries',
    });
  });
});

describe('routing by kind of case', () => {
  const byKind = parseRouting({
    answerNormByKind: { proposal: 10 },
    rules: [
      {
        id: 'voorstellen',
        match: { kinds: ['proposal'] },
        assign: { type: 'department', id: 'participatie', name: 'Team Participatie' },
      },
      ...rules,
    ],
  });

  it('sends a proposal by its kind rule and a question past it; a case without a kind is a question', () => {
    const where = { topic: 'voorstel', districtId: 'te-werve' };
    expect(route({ ...where, kind: 'proposal' }, byKind.rules, districts).ruleId).toBe('voorstellen');
    expect(route({ ...where, kind: 'question' }, byKind.rules, districts).ruleId).toBe('wijk');
    expect(route({ topic: 'afval', districtId: null }, byKind.rules, districts).ruleId).toBe('afval');
  });

  it('gives a kind its own answer-by norm, the others the general one', () => {
    expect(answerNorm(byKind, 'proposal')).toBe(10);
    expect(answerNorm(byKind, 'question')).toBe(5);
    expect(answerNorm(rijswijk.routing, 'proposal')).toBe(10);
  });
});
