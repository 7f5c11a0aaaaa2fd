import type { InboundMessage } from '../../src/ports/messages.js';

/** A resident's id on this channel: the WhatsApp id with whatsapp-web.js's suffix, so conversations carry over. */
export function userIdOf(waId: string): string {
  return `${waId}@c.us`;
}

/** The number to write to, from a user id; undefined for ids this channel cannot reach (groups, @lid). */
export function waIdOf(userId: string): string | undefined {
  const match = /^(\d{6,20})@c\.us$/.exec(userId);
  return match?.[1];
}

/** A button or list reply: the id WhatsApp sends back, and the title shown. */
export interface ChoiceReply {
  id: string;
  title: string;
}

/** What one webhook call carried for this number. */
export interface WebhookContent {
  messages: (Omit<InboundMessage, 'choiceId'> & { reply?: ChoiceReply })[];
  statuses: StatusUpdate[];
}

/** A delivery status of a message the service sent. */
export interface StatusUpdate {
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  errorCode?: number;
}

/** Message types that are not text: they get the same kind answer as on every channel. */
const MEDIA = new Set([
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'unsupported',
]);
const CAPTIONED = new Set(['image', 'video', 'document']);
const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

/**
 * Reads a webhook body (already signature-checked) for one phone number id: its residents'
 * messages and its statuses. Groups, the business's own number, other numbers and system
 * messages are left out.
 */
export function readWebhook(body: unknown, phoneNumberId: string): WebhookContent {
  const content: WebhookContent = { messages: [], statuses: [] };
  if (!isRecord(body) || body.object !== 'whatsapp_business_account') return content;
  for (const entry of array(body.entry)) {
    for (const change of array(record(entry).changes)) {
      const { field, value } = record(change);
      if (field !== 'messages' || !isRecord(value)) continue;
      const metadata = record(value.metadata);
      if (metadata.phone_number_id !== phoneNumberId) continue;
      const own = digits(metadata.display_phone_number);
      const names = new Map(
        array(value.contacts).map((c) => [String(record(c).wa_id), record(record(c).profile).name]),
      );
      for (const raw of array(value.messages)) {
        const message = toMessage(record(raw), own, names);
        if (message) content.messages.push(message);
      }
      for (const raw of array(value.statuses)) {
        const status = toStatus(record(raw));
        if (status) content.statuses.push(status);
      }
    }
  }
  return content;
}

function toMessage(
  m: Record<string, unknown>,
  own: string,
  names: Map<string, unknown>,
): WebhookContent['messages'][number] | null {
  const from = typeof m.from === 'string' ? m.from : '';
  const id = typeof m.id === 'string' ? m.id : '';
  // Groups carry a group id; the business's own number never answers itself.
  if (!/^\d{6,20}$/.test(from) || !id || m.group_id !== undefined || from === own) return null;
  const name = names.get(from);
  const base = {
    channel: 'whatsapp',
    userId: userIdOf(from),
    messageId: id,
    ...(typeof name === 'string' && name.trim() ? { displayName: name.trim() } : {}),
  };
  const type = String(m.type);
  if (type === 'text') return { ...base, text: str(record(m.text).body) };
  if (type === 'interactive') {
    const interactive = record(m.interactive);
    const reply = record(interactive.button_reply ?? interactive.list_reply);
    if (typeof reply.id !== 'string') return null;
    const title = typeof reply.title === 'string' ? reply.title : '';
    return { ...base, text: title, reply: { id: reply.id, title } };
  }
  // A quick-reply button of a template: its text, as if typed.
  if (type === 'button') return { ...base, text: str(record(m.button).text) };
  if (MEDIA.has(type)) {
    const caption = CAPTIONED.has(type) ? record(m[type]).caption : undefined;
    return { ...base, text: typeof caption === 'string' ? caption : '', hasMedia: true };
  }
  return null; // system messages, requests to start a chat, and types this service does not know
}

function toStatus(s: Record<string, unknown>): StatusUpdate | null {
  if (typeof s.id !== 'string' || typeof s.status !== 'string' || !STATUSES.has(s.status)) return null;
  const code = record(array(s.errors)[0]).code;
  return {
    messageId: s.id,
    status: s.status as StatusUpdate['status'],
    ...(typeof code === 'number' ? { errorCode: code } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function digits(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\D/g, '') : '';
}
