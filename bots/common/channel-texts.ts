import type { Language, Texts } from '../../src/i18n/translator.js';

/** The languages the channel texts exist in (data/i18n/<language>/channels.json). */
export type ChannelLanguage = Language;

/** The keys of data/i18n/<language>/channels.json. */
export type ChannelTextKey =
  | 'telegram.command.start'
  | 'telegram.command.menu'
  | 'telegram.command.help'
  | 'telegram.command.stop'
  | 'whatsapp.choice-hint'
  | 'whatsapp.list-button';

/**
 * A channel's texts in one language, from the texts the service loaded (DATA_DIR's i18n folder);
 * texts residents read never live in code. A missing one is a start-up error, not a blank.
 */
export function channelText(texts: Texts, language: ChannelLanguage, key: ChannelTextKey): string {
  const value = texts[language][key] ?? texts.nl[key];
  if (value === undefined) throw new Error(`i18n/${language}/channels.json: missing text '${key}'`);
  return value;
}
