import type { Author } from '../../ports/messages.js';
import type { Translate } from '../../i18n/translator.js';
import type { TranscriptEntry } from '../../ports/conversation-repository.js';

/** How the takeover page names who wrote an outgoing line. */
export const WEBCARE_AUTHORS = {
  bot: 'dashboard.webcare.side.bot',
  before: 'dashboard.webcare.side.out',
  staff: 'dashboard.webcare.side.staff',
  alderman: 'dashboard.webcare.side.alderman',
} as const;

/** How the conversation page and its export name who wrote an outgoing line. */
export const CONVERSATION_AUTHORS = {
  bot: 'dashboard.conversation.from.bot',
  before: 'dashboard.conversation.from.before',
  staff: 'dashboard.conversation.from.staff',
  alderman: 'dashboard.conversation.from.alderman_named',
} as const;

/** Names by id: staff accounts (undefined for one not known) and aldermen. */
export interface AuthorNames {
  staff(id: string): string | undefined;
  alderman(id: string): string;
}

/**
 * Who wrote an outgoing line, as staff read it: the chatbot, the operator by name (or "Medewerker"
 * when the account is not known), the alderman by name; for a line stored before authors were kept,
 * "Chatbot of medewerker", which claims neither.
 */
export function outAuthor(
  author: Author | undefined,
  t: Translate,
  keys: typeof WEBCARE_AUTHORS | typeof CONVERSATION_AUTHORS,
  names: AuthorNames,
): string {
  if (!author) return t(keys.before);
  if (author.role === 'bot') return t(keys.bot);
  if (author.role === 'alderman') return t(keys.alderman, { name: names.alderman(author.id) });
  return (author.id === undefined ? undefined : names.staff(author.id)) ?? t(keys.staff);
}

/** Who wrote a line of the takeover page's transcript: the resident, or as `outAuthor` says. */
export function webcareLineAuthor(
  entry: Pick<TranscriptEntry, 'side' | 'author'>,
  t: Translate,
  names: AuthorNames,
): string {
  return entry.side === 'in'
    ? t('dashboard.webcare.side.in')
    : outAuthor(entry.author, t, WEBCARE_AUTHORS, names);
}
