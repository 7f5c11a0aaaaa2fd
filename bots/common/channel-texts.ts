import { readFileSync } from 'node:fs';

/** The languages the channel texts exist in (data/i18n/<language>/channels.json). */
export type ChannelLanguage = 'nl' | 'en';

/** The keys of data/i18n/<language>/channels.json. */
export type ChannelTextKey =
  | 'telegram.command.start'
  | 'telegram.command.menu'
  | 'telegram.command.help'
  | 'telegram.command.stop'
  | 'whatsapp.choice-hint';

/** Reads the channel texts for one language; texts residents read never live in code. */
export function loadChannelTexts(language: ChannelLanguage): Record<ChannelTextKey, string> {
  const url = new URL(`../../data/i18n/${language}/channels.json`, import.meta.url);
  const parsed = JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
  const text = (key: ChannelTextKey): string => {
    const value = parsed[key];
    if (typeof value !== 'string')
      throw new Error(`data/i18n/${language}/channels.json: missing text '${key}'`);
    return value;
  };
  return {
    'telegram.command.start': text('telegram.command.start'),
    'telegram.command.menu': text('telegram.command.menu'),
    'telegram.command.help': text('telegram.command.help'),
    'telegram.command.stop': text('telegram.command.stop'),
    'whatsapp.choice-hint': text('whatsapp.choice-hint'),
  };
}
