import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadCaseData,
  parseHolidayCalendar,
  parseRouting,
  parseTopics,
} from '../../src/municipality/case-data.js';
import { ConfigError } from '../../src/shared/errors.js';

const districtIds = ['oud-rijswijk', 'te-werve'];

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('\n');
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('the shipped data files', () => {
  it('load and cross-check against the shipped districts and aldermen', () => {
    const data = loadCaseData('data', { districtIds, aldermanIds: ['anna-de-vries'] });
    expect(data.routing.answerNormWorkingDays).toBe(5);
    // A proposal gets its first reaction within 10 working days, and goes to the district's alderman.
    expect(data.routing.answerNormByKind).toEqual({ proposal: 10 });
    // A privacy request goes to the privacy team first of all, due within one month (AVG art. 12(3)).
    expect(data.routing.answerMonthsByKind).toEqual({ privacy: 1 });
    expect(data.routing.rules[0]).toMatchObject({
      match: { kinds: ['privacy'] },
      assign: { type: 'department', id: 'privacy' },
    });
    expect(data.routing.rules[1]).toMatchObject({ match: { kinds: ['proposal'] } });
    expect(data.topics.map((t) => t.id)).toContain('afval');
    expect(data.holidays.rules.find((r) => r.id === 'bevrijdingsdag')).toMatchObject({
      municipalChoice: true,
    });
    expect(data.holidays.rules.find((r) => r.id === 'goede-vrijdag')).toMatchObject({
      municipalChoice: true,
      closed: false,
    });
  });
});

describe('a broken data file gives one line naming the file, the field and the problem', () => {
  it('a holiday offset that is not a number', () => {
    const error = errorOf(() =>
      parseHolidayCalendar(
        { rules: [{ id: 'x', name: { nl: 'x', en: 'x' }, kind: 'easter', offset: 'two' }] },
        'data/holidays.json',
      ),
    );
    expect(error.message).toMatch(/^Data error: data\/holidays\.json: rules\[0\]\.offset: .*number/);
  });

  it('a fixed holiday on 31 February', () => {
    const error = errorOf(() =>
      parseHolidayCalendar(
        { rules: [{ id: 'x', name: { nl: 'x', en: 'x' }, kind: 'fixed', month: 2, day: 31 }] },
        'h.json',
      ),
    );
    expect(error.message).toBe('Data error: h.json: rules[0].day: expected a day that exists in that month');
  });

  it('an extra date that is not a date', () => {
    const error = errorOf(() =>
      parseHolidayCalendar(
        { rules: [], extraDates: [{ date: '2026-13-01', name: { nl: 'x', en: 'x' } }] },
        'h.json',
      ),
    );
    expect(error.message).toBe('Data error: h.json: extraDates[0].date: expected a date as YYYY-MM-DD');
  });

  it('a topic listed twice', () => {
    const topic = { id: 'afval', label: { nl: 'Afval', en: 'Waste' } };
    expect(errorOf(() => parseTopics({ topics: [topic, topic] }, 't.json')).message).toBe(
      'Data error: t.json: topics[1].id: "afval" is listed twice',
    );
  });

  it('two catch-all ("other") topics', () => {
    const a = { id: 'a', label: { nl: 'A', en: 'A' }, other: true };
    const b = { id: 'b', label: { nl: 'B', en: 'B' }, other: true };
    expect(errorOf(() => parseTopics({ topics: [a, b] }, 't.json')).message).toContain(
      'at most one topic may be "other"',
    );
    expect(parseTopics({ topics: [a, { ...b, other: false }] }, 't.json').map((t) => t.other)).toEqual([
      true,
      false,
    ]);
  });

  it('a routing file whose last rule does not match everything', () => {
    const routing = {
      rules: [{ id: 'a', match: { topics: ['afval'] }, assign: { type: 'alderman', id: 'anna-de-vries' } }],
    };
    expect(errorOf(() => parseRouting(routing, 'r.json')).message).toBe(
      'Data error: r.json: rules[0].match: the last rule must match every case (use "match": {})',
    );
  });

  it('a last rule that matches only one kind of case, an unknown kind, or a norm for an unknown kind', () => {
    const last = (match: object) => ({
      rules: [{ id: 'a', match, assign: { type: 'alderman', id: 'anna-de-vries' } }],
    });
    expect(errorOf(() => parseRouting(last({ kinds: ['proposal'] }), 'r.json')).message).toBe(
      'Data error: r.json: rules[0].match: the last rule must match every case (use "match": {})',
    );
    expect(errorOf(() => parseRouting(last({ kinds: ['idee'] }), 'r.json')).message).toMatch(
      /rules\[0\]\.match\.kinds\[0\]/,
    );
    const norms = { ...last({}), answerNormByKind: { idee: 10 } };
    expect(errorOf(() => parseRouting(norms, 'r.json')).message).toMatch(/answerNormByKind/);
    const tooLong = { ...last({}), answerNormByKind: { proposal: 90 } };
    expect(errorOf(() => parseRouting(tooLong, 'r.json')).message).toMatch(/answerNormByKind\.proposal/);
    const months = { ...last({}), answerMonthsByKind: { privacy: 12 } };
    expect(errorOf(() => parseRouting(months, 'r.json')).message).toMatch(/answerMonthsByKind\.privacy/);
  });

  it('a routing file without a rule for privacy requests names the rule to add', () => {
    const kcc = { type: 'department', id: 'kcc', name: 'KCC' };
    const add =
      'add one before it: {"id": "privacyverzoeken", "match": {"kinds": ["privacy"]}, "assign": {"type": "department", "id": "privacy", "name": "Team Privacy"}}';
    const refused = (rules: object[], to: string) =>
      expect(errorOf(() => parseRouting({ rules }, 'r.json')).message).toBe(
        `Data error: r.json: rules: no rule for privacy requests (they would go to rule "${to}"); ${add}`,
      );
    const catchAll = { id: 'alles', match: {}, assign: kcc };
    refused([catchAll], 'alles');
    // Rules for other kinds, for a topic or a district, or that cannot assign without a district
    // do not catch a privacy request: it still falls to the catch-all.
    refused(
      [
        { id: 'vragen', match: { kinds: ['question', 'proposal'] }, assign: kcc },
        { id: 'privacy-afval', match: { kinds: ['privacy'], topics: ['afval'] }, assign: kcc },
        { id: 'privacy-wijk', match: { kinds: ['privacy'], districts: ['te-werve'] }, assign: kcc },
        { id: 'privacy-wethouder', match: { kinds: ['privacy'] }, assign: { type: 'district-alderman' } },
        catchAll,
      ],
      'alles',
    );
    // A rule for every case before the privacy rule catches them first.
    const privacy = { id: 'privacy', match: { kinds: ['privacy'] }, assign: { ...kcc, id: 'privacy' } };
    refused([{ id: 'eerst', match: {}, assign: kcc }, privacy, catchAll], 'eerst');
    // Accepted: a rule of their own, or one that names them among other kinds, before the catch-all.
    expect(parseRouting({ rules: [privacy, catchAll] }, 'r.json').rules[0]?.id).toBe('privacy');
    const shared = { id: 'gedeeld', match: { kinds: ['privacy', 'proposal'] }, assign: kcc };
    expect(parseRouting({ rules: [shared, catchAll] }, 'r.json').rules).toHaveLength(2);
  });

  it("a municipality's data folder whose routing.json has no privacy rule is refused on loading", () => {
    const dir = mkdtempSync(join(tmpdir(), 'spreekuur-cases-'));
    for (const name of ['holidays.json', 'topics.json', 'standard-answers.json'])
      copyFileSync(join('data', name), join(dir, name));
    const shipped = JSON.parse(readFileSync(join('data', 'routing.json'), 'utf8')) as { rules: object[] };
    const rules = shipped.rules.filter((r) => !JSON.stringify(r).includes('"privacy"'));
    expect(rules).toHaveLength(shipped.rules.length - 1);
    writeFileSync(join(dir, 'routing.json'), JSON.stringify({ ...shipped, rules }));
    expect(errorOf(() => loadCaseData(dir)).message).toMatch(
      /^Data error: .*routing\.json: rules: no rule for privacy requests \(they would go to rule "wijkwethouder"\); add one before it: /,
    );
  });

  it('a last district-alderman rule without a fallback', () => {
    const routing = { rules: [{ id: 'a', match: {}, assign: { type: 'district-alderman' } }] };
    expect(errorOf(() => parseRouting(routing, 'r.json')).message).toMatch(
      /rules\[0\]\.assign\.otherwise: required/,
    );
  });

  it('a routing rule naming an unknown district, topic or alderman', () => {
    const rule = (match: object, assign: object) => ({
      rules: [
        { id: 'a', match, assign },
        { id: 'z', match: {}, assign: { type: 'alderman', id: 'anna-de-vries' } },
      ],
    });
    const refs = { topicIds: ['afval'], districtIds, aldermanIds: ['anna-de-vries'] };
    expect(
      errorOf(() =>
        parseRouting(
          rule({ districts: ['atlantis'] }, { type: 'alderman', id: 'anna-de-vries' }),
          'r.json',
          refs,
        ),
      ).message,
    ).toBe('Data error: r.json: rules[0].match.districts[0]: unknown district "atlantis"');
    expect(
      errorOf(() =>
        parseRouting(rule({ topics: ['golf'] }, { type: 'alderman', id: 'anna-de-vries' }), 'r.json', refs),
      ).message,
    ).toMatch(/rules\[0\]\.match\.topics\[0\]: unknown topic "golf"/);
    expect(
      errorOf(() => parseRouting(rule({}, { type: 'alderman', id: 'nobody' }), 'r.json', refs)).message,
    ).toMatch(/rules\[0\]\.assign\.id: unknown alderman "nobody"/);
  });

  it('an unknown assign type', () => {
    const routing = { rules: [{ id: 'a', match: {}, assign: { type: 'mayor' } }] };
    expect(errorOf(() => parseRouting(routing, 'r.json')).message).toMatch(
      /^Data error: r\.json: rules\[0\]\.assign\.type: /,
    );
  });

  it('a file that is not JSON, or missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spreekuur-cases-'));
    for (const name of ['holidays.json', 'topics.json', 'routing.json'])
      copyFileSync(join('data', name), join(dir, name));
    writeFileSync(join(dir, 'routing.json'), '{ "rules": [ }');
    expect(errorOf(() => loadCaseData(dir)).message).toMatch(/^Data error: .*routing\.json: not valid JSON/);
    const empty = mkdtempSync(join(tmpdir(), 'spreekuur-cases-'));
    expect(errorOf(() => loadCaseData(empty)).message).toMatch(/holidays\.json: cannot be read \(ENOENT\)/);
  });
});
