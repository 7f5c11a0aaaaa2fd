import type { InboundMessage } from '../../src/ports/messages.js';
import type { WhatsAppMessageLike } from './client.js';

/** Message types that carry media or other non-text content; the engine answers them kindly. */
const MEDIA_TYPES = new Set([
  'image',
  'video',
  'audio',
  'ptt',
  'document',
  'sticker',
  'location',
  'vcard',
  'multi_vcard',
]);
/** Media whose `body` is the caption the sender typed (for a vcard, body is the card: never passed on). */
const CAPTIONED = new Set(['image', 'video', 'document']);

/** True for a one-to-one chat id: a phone-number id (@c.us) or a linked id (@lid). */
export function isPersonalChat(id: string): boolean {
  return id.endsWith('@c.us') || id.endsWith('@lid');
}

/**
 * Maps a whatsapp-web.js message to what the engine reads, or null for what the service does not
 * answer: our own messages, groups, status updates, broadcasts, channels, and system messages.
 */
export function toInbound(message: WhatsAppMessageLike): InboundMessage | null {
  if (message.fromMe || message.isStatus || !isPersonalChat(message.from)) return null;
  const base = {
    channel: 'whatsapp',
    userId: message.from,
    messageId: message.id._serialized,
    ...nameOf(message),
  };
  if (message.type === 'chat') return { ...base, text: message.body };
  if (!MEDIA_TYPES.has(message.type)) return null;
  return { ...base, text: CAPTIONED.has(message.type) ? message.body : '', hasMedia: true };
}

function nameOf(message: WhatsAppMessageLike): { displayName?: string } {
  const name = (message.rawData as { notifyName?: unknown } | undefined)?.notifyName;
  return typeof name === 'string' && name.trim() !== '' ? { displayName: name.trim() } : {};
}
