import { describe, expect, it } from 'vitest';
import { topicIn } from '../../src/understanding/topic.js';

describe('topicIn: the subject a request names after "over" / "about"', () => {
  it.each([
    ['Ik wil graag een afspraak maken met de wethouder over de speeltuin', 'de speeltuin'],
    ['Kan ik de wethouder spreken over parkeren in de Bomenbuurt?', 'parkeren in de Bomenbuurt'],
    ['afspraak over het bankje bij de vijver, alstublieft!', 'het bankje bij de vijver'],
    ['Can I book a meeting with the alderman about the new bike lane please', 'the new bike lane'],
    ['I would like an appointment regarding noise from the café.', 'noise from the café'],
    ['Afspraak wethouder (over de bomenkap)', 'de bomenkap'],
  ])('%j names %j', (text, topic) => {
    expect(topicIn(text, 200)).toBe(topic);
  });

  it.each([
    ['Ik wil een afspraak over twee weken'],
    ['Afspraak over een paar dagen graag'],
    ['Can I have a meeting about 3 pm?'],
    ['I want an appointment about an hour from now'],
    ['Ik wil met de wethouder praten over iets'],
    ['I want to talk about something'],
    ['Ik wil een afspraak maken'],
    ['overleg met de wethouder'],
    ['afspraak over ?!'],
  ])('%j names no subject', (text) => {
    expect(topicIn(text, 200)).toBeUndefined();
  });

  it('names none longer than the most a topic may be', () => {
    const long = `afspraak over ${'de speeltuin en '.repeat(20)}het park`;
    expect(topicIn(long, 200)).toBeUndefined();
    expect(topicIn(long, 1000)).toMatch(/^de speeltuin en .* het park$/);
  });
});
