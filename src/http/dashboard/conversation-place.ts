import type { ConversationRecord } from '../../ports/conversation-search.js';
import { isTextKey, type TextKey, type Translate } from '../../i18n/translator.js';

/** What the dashboard needs to know about a flow: its menu label or title, when it has one. */
export type FlowTitle = (flow: string) => TextKey | undefined;

/** Where a conversation is, in an operator's words, and the stored value for support. */
export interface PlaceWords {
  mode: string;
  /** Where in the conversation the chatbot is; null when the chatbot is not the one answering. */
  at: string | null;
  /** The stored mode, the flows it goes back to and flow / step ("bot · book › district / ask"). */
  raw: string;
}

/**
 * The chatbot's stored mode and step in words: "Met een medewerker", "Afspraak maken met de
 * wethouder", named by the first flow of the conversation's stack with a menu label or title.
 * `taken` tells whether an operator holds a resident in 'human' mode (else they wait).
 * A flow without a menu label or title is "Bezig met een vraag": a step name means nothing to staff.
 */
export function placeWords(
  bot: NonNullable<ConversationRecord['bot']>,
  t: Translate,
  flowTitle: FlowTitle,
  taken: boolean,
): PlaceWords {
  const mode = bot.mode === 'human' && !taken ? 'waiting' : bot.mode;
  const modeKey = `dashboard.conversation.mode.${mode}`;
  const raw = bot.flow
    ? `${bot.mode} · ${[...bot.outer, `${bot.flow} / ${bot.step ?? ''}`].join(' › ')}`
    : bot.mode;
  if (bot.mode !== 'bot') return { mode: isTextKey(modeKey) ? t(modeKey) : bot.mode, at: null, raw };
  // The flow the resident started names the place: "afspraak" that first asks the district is booking.
  const title = [...bot.outer, bot.flow]
    .map((flow) => (flow && flow !== 'menu' ? flowTitle(flow) : undefined))
    .find((key) => key !== undefined);
  const at = title
    ? t(title)
    : !bot.flow || bot.flow === 'menu'
      ? t('dashboard.conversation.at_menu')
      : t('dashboard.conversation.at_other');
  return { mode: t('dashboard.conversation.mode.bot'), at, raw };
}
