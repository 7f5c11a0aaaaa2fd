import type { OutboundMessage } from '../../src/ports/messages.js';
import type { CallbackDataMap } from './callback-data.js';

/** Telegram's longest message text. */
export const MAX_MESSAGE_LENGTH = 4096;

/** One sendMessage call: plain text (no parse_mode, so resident text is never interpreted). */
export interface TelegramPart {
  text: string;
  extra: { reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> } };
}

/** Renders a message as sendMessage calls: split text, choices as one button per row on the last. */
export function renderForTelegram(message: OutboundMessage, callbacks: CallbackDataMap): TelegramPart[] {
  const texts = splitText(message.text, MAX_MESSAGE_LENGTH);
  const parts: TelegramPart[] = texts.map((text) => ({ text, extra: {} }));
  const last = parts[parts.length - 1];
  if (last && message.choices && message.choices.length > 0) {
    const inline_keyboard = message.choices.map((choice) => [
      { text: choice.label, callback_data: callbacks.encode(choice) },
    ]);
    last.extra = { reply_markup: { inline_keyboard } };
  }
  return parts;
}

/**
 * Splits text into pieces of at most `max` UTF-16 units, preferring a paragraph break, then a line
 * break, then a space in the second half of a piece; never inside a surrogate pair.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

function cutPoint(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at >= max / 2) return at;
  }
  const code = text.charCodeAt(max - 1);
  const splitsPair = code >= 0xd800 && code <= 0xdbff;
  return splitsPair ? max - 1 : max;
}
