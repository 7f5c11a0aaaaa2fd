import type { OfferedChoice } from './choices.js';
import { understand } from './matcher.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * True when a message only steers the chat and says nothing of the resident's matter: a choice of
 * the buttons it answered ("1", "English"), or nothing but words such as "medewerker", "menu",
 * "talk to a person" or "ik heb een vraag", with greetings and thanks. A choice matched only by a
 * word in its label ("… over mijn parkeervergunning" beside "Vraag stellen") is the matter itself.
 */
export function onlySteers(vocab: Vocabulary, text: string, choices: readonly OfferedChoice[] = []): boolean {
  const u = understand(vocab, text, choices);
  if (u.choice && u.choice.by !== 'words') return true;
  if (u.intent?.whole) return true;
  return u.meaningfulWords === 0;
}
