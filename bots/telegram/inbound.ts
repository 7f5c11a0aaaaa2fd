import type { CallbackQuery, Message, Update, User } from 'telegraf/types';
import type { InboundMessage } from '../../src/ports/messages.js';
import type { CallbackDataMap } from './callback-data.js';

/** The commands the bot announces; `/start` etc. reach the engine as the bare word ('start'). */
export const BOT_COMMANDS = ['start', 'menu', 'help', 'stop'] as const;

/** Message kinds that carry something other than text; the engine answers them kindly. */
const MEDIA_KEYS = [
  'photo',
  'document',
  'voice',
  'audio',
  'video',
  'video_note',
  'sticker',
  'animation',
  'contact',
  'location',
  'venue',
  'poll',
  'dice',
  'story',
] as const;

/**
 * Maps a Telegram update to what the engine reads, or null when the update is not for it (group
 * chats, service messages, edits). `messageId` is the update id: Telegram's dedupe key.
 */
export function toInbound(update: Update, callbacks: CallbackDataMap): InboundMessage | null {
  const messageId = String(update.update_id);
  if ('message' in update) return fromMessage(update.message, messageId);
  if ('callback_query' in update) return fromCallback(update.callback_query, messageId, callbacks);
  return null;
}

function fromMessage(message: Message, messageId: string): InboundMessage | null {
  if (message.chat.type !== 'private') return null;
  const base = { channel: 'telegram', userId: String(message.chat.id), messageId, ...nameOf(message.from) };
  if ('text' in message) return { ...base, text: commandWord(message.text) ?? message.text };
  if (!MEDIA_KEYS.some((key) => key in message)) return null;
  const caption = 'caption' in message && typeof message.caption === 'string' ? message.caption : '';
  return { ...base, text: caption, hasMedia: true };
}

function fromCallback(
  query: CallbackQuery,
  messageId: string,
  callbacks: CallbackDataMap,
): InboundMessage | null {
  if (!('data' in query)) return null;
  const chat = query.message?.chat;
  if (chat && chat.type !== 'private') return null;
  const pressed = callbacks.decode(query.data);
  const label = labelInKeyboard(query, query.data) ?? pressed.label ?? query.data;
  return {
    channel: 'telegram',
    userId: String(chat?.id ?? query.from.id),
    messageId,
    text: label,
    choiceId: pressed.choiceId,
    ...nameOf(query.from),
  };
}

/** The label of the pressed button, read from the message it belongs to (survives restarts). */
function labelInKeyboard(query: CallbackQuery, data: string): string | undefined {
  const message = query.message;
  if (!message || !('reply_markup' in message)) return undefined;
  const rows = message.reply_markup?.inline_keyboard ?? [];
  const button = rows.flat().find((b) => 'callback_data' in b && b.callback_data === data);
  return button?.text;
}

/** '/start', '/menu@SpreekuurBot', '/start deep-link' → 'start', 'menu', 'start'; other text → null. */
export function commandWord(text: string): string | null {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s|$)/.exec(text.trim());
  const word = match?.[1]?.toLowerCase();
  return word && (BOT_COMMANDS as readonly string[]).includes(word) ? word : null;
}

function nameOf(user: User | undefined): { displayName?: string } {
  if (!user) return {};
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
  return name ? { displayName: name } : {};
}
