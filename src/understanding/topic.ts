/**
 * The subject a resident already named in the message that asked for something: "Ik wil graag een
 * afspraak met de wethouder over de speeltuin" names "de speeltuin", "Can I talk to the alderman
 * about parking?" names "parking". A flow offers it as a suggestion, never takes it unasked: the words
 * after "over" are often a time ("over twee weken", in two weeks) or say nothing ("over iets").
 */

/** The word that introduces the subject, then the rest of the message. */
const INTRODUCED = /(?:^|[\s,(])(?:over|about|regarding|concerning|betreffende|aangaande)\s+(.+)$/iu;

/** "over twee weken", "about 3 pm", "about an hour": a time or a span, not a subject. */
const TIME_SPAN =
  /^(?:\d|(?:een|één|1|twee|drie|vier|vijf|zes|een paar|paar|enkele|a|an|one|two|three|four|five|a few|a couple of)\s+(?:dag|dagen|week|weken|weekje|maand|maanden|jaar|uur|uurtje|kwartier|minuten|minuutjes|day|days|week|weeks|month|months|year|years|hour|hours|minutes)\b)/iu;

/** Words that name no subject on their own. */
const EMPTY = new Set([
  'iets',
  'wat',
  'het',
  'dat',
  'dit',
  'van alles',
  'een paar dingen',
  'iets anders',
  'something',
  'anything',
  'it',
  'that',
  'this',
  'a few things',
  'something else',
]);

/** Politeness at the end that is not part of the subject: "…, alstublieft", "… please". */
const POLITE_END =
  /[\s,]+(?:alstublieft|alsjeblieft|aub|a\.u\.b\.?|graag|dank u(?: wel)?|dankjewel|bedankt|please|thanks|thank you)$/iu;

/**
 * The subject `text` names after "over" / "about", as the resident wrote it (without the politeness
 * and punctuation at its end), or undefined when it names none or it is longer than `max` characters.
 */
export function topicIn(text: string, max: number): string | undefined {
  const match = INTRODUCED.exec(text.replace(/\s+/gu, ' ').trim());
  if (!match?.[1]) return undefined;
  let topic = match[1];
  for (let before = ''; before !== topic;) {
    before = topic;
    topic = topic.replace(/[\s.!?,;:]+$/u, '').replace(POLITE_END, '');
    // A bracket closed at the end that the subject did not open: "(over de bomenkap)".
    if (topic.endsWith(')') && !topic.includes('(')) topic = topic.slice(0, -1);
  }
  if (!/\p{L}/u.test(topic) || TIME_SPAN.test(topic)) return undefined;
  if (EMPTY.has(topic.toLowerCase()) || topic.length > max) return undefined;
  return topic;
}
