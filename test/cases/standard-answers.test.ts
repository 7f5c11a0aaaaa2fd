import { describe, expect, it } from 'vitest';
import {
  fillStandardAnswer,
  parseStandardAnswers,
  standardAnswersFor,
} from '../../src/municipality/standard-answers.js';
import { rijswijk } from './support.js';

const topics = rijswijk.topics.map((t) => t.id);
const answer = (text: string, extra: object = {}) => ({
  answers: [{ id: 'a', title: { nl: 'T', en: 'T' }, text: { nl: text, en: 'Dear {name}' }, ...extra }],
});

describe('standard answers', () => {
  it('the shipped file loads, and every answer fits known topics', () => {
    expect(rijswijk.standardAnswers.length).toBeGreaterThanOrEqual(4);
    expect(standardAnswersFor(rijswijk.standardAnswers, 'afval').map((a) => a.id)).toContain(
      'afval-container-kapot',
    );
    // An answer without topics fits every topic.
    expect(standardAnswersFor(rijswijk.standardAnswers, 'veiligheid').map((a) => a.id)).toEqual([
      'doorverwezen',
    ]);
  });

  it('stops start-up on a misspelled placeholder, naming the file, the field and what is allowed', () => {
    expect(() => parseStandardAnswers(answer('Beste {naam}'), 'x.json', topics)).toThrow(
      /x\.json: answers\[0\]\.text\.nl: unknown placeholder \{naam\} \(use \{name\}, \{reference\}/,
    );
  });

  it('stops start-up on an unknown topic, a twice-used id and a missing language', () => {
    expect(() => parseStandardAnswers(answer('Hoi', { topics: ['vuilnis'] }), 'x.json', topics)).toThrow(
      /answers\[0\]\.topics\[0\]: unknown topic "vuilnis"/,
    );
    const twice = { answers: [...answer('a').answers, ...answer('b').answers] };
    expect(() => parseStandardAnswers(twice, 'x.json', topics)).toThrow(/"a" is used twice/);
    const noEnglish = { answers: [{ id: 'a', title: { nl: 'T', en: 'T' }, text: { nl: 'Hoi' } }] };
    expect(() => parseStandardAnswers(noEnglish, 'x.json', topics)).toThrow(/text\.en/);
  });

  it('fills every placeholder, and leaves a resident’s own braces in the values alone', () => {
    const text = fillStandardAnswer(
      'Beste {name}, vraag {reference} van {asked}: uiterlijk {date} ({today}).',
      {
        name: '{reference}',
        reference: 'RSW-2026-000001',
        date: '9 april',
        asked: '2 april',
        today: '3 april',
      },
    );
    expect(text).toBe('Beste {reference}, vraag RSW-2026-000001 van 2 april: uiterlijk 9 april (3 april).');
  });
});
