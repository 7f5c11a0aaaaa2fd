import type { OutboundMessage } from '../../src/ports/messages.js';

/**
 * Renders choices as a numbered list under the text, then a hint line. The engine matches "2" or
 * the label itself, so the list needs no buttons (which WhatsApp Web clients no longer offer).
 */
export function renderForWhatsApp(message: OutboundMessage, hint: string): string {
  const choices = message.choices ?? [];
  if (choices.length === 0) return message.text;
  const lines = choices.map((choice, i) => `${i + 1}. ${choice.label}`);
  return [message.text, '', ...lines, '', hint].join('\n');
}
