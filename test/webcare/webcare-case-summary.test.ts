import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseSummary } from '../../src/features/webcare/webcare-case.js';
import type { TranscriptEntry } from '../../src/ports/conversation-repository.js';
import { onlySteers } from '../../src/understanding/steering.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));
const steers = (text: string, choices: readonly { id: string; label: string }[]) =>
  onlySteers(vocab, text, choices);

let id = 0;
const at = new Date('2026-12-01T09:00:00Z');
const said = (text: string): TranscriptEntry => ({ side: 'in', id: ++id, text, at });
const bot = (text: string, labels: string[] = []): TranscriptEntry => ({
  side: 'out',
  id: ++id,
  text,
  at,
  choices: labels.map((label, i) => ({ id: `c${i}`, label })),
});

/** The summary a case made from a webcare takeover starts with. */
describe('the summary of a case from a takeover', () => {
  // Regression: it was "medewerker\nIk heb een vraag over mijn parkeervergunning…": the words that
  // only asked for a person (and menu choices) became part of the case's question.
  it('leaves out what only asked for a person, a language or a menu choice', () => {
    const english = [
      said('Hello, I have a question'),
      bot('Welcome', ['Nederlands', 'English']),
      said('English'),
      bot('What can I do for you?', ['Ask a question', 'Book an appointment', 'Talk to a person']),
      said('Talk to a person'),
      bot('A member of staff will read your messages.'),
      said('I need help with my parking permit'),
    ];
    expect(caseSummary(english, steers)).toBe('I need help with my parking permit');

    const dutch = [
      said('hallo'),
      bot('Waarmee kan ik u helpen?', ['Vraag stellen', 'Afspraak maken', 'Medewerker']),
      said('3'),
      said('medewerker'),
      said('Ik heb een vraag over mijn parkeervergunning, die is verlopen.'),
      said('Kan ik hem verlengen?'),
    ];
    expect(caseSummary(dutch, steers)).toBe(
      'Ik heb een vraag over mijn parkeervergunning, die is verlopen.\nKan ik hem verlengen?',
    );
  });

  it('keeps every message without a way to tell, and the latest five at most', () => {
    const many = ['een', 'twee', 'drie', 'vier', 'vijf', 'zes'].map((w) => said(`Bericht ${w}`));
    expect(caseSummary(many)).toBe('Bericht twee\nBericht drie\nBericht vier\nBericht vijf\nBericht zes');
  });
});
