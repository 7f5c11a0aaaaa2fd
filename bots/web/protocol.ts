import type { Choice } from '../../src/ports/messages.js';

/** One message as the page shows it; `key` is stable, so the page shows each message once. */
export interface ChatEntry {
  /** 'r:<client message id>' for what the resident wrote, 's:<outbox id>' for what the service sent. */
  key: string;
  from: 'resident' | 'service';
  text: string;
  choices?: Choice[];
}

/** What the page sends: a message (with the page's own id, so a resend is handled once) or a ping. */
export type ClientFrame =
  { type: 'send'; id: string; text: string; choiceId?: string } | { type: 'ping'; id: string };

/** Why a message was not taken; the page keeps the text in the box and shows the notice. */
export type RefusalReason = 'rate' | 'address-rate' | 'too-long';

/** What the server sends to the page. */
export type ServerFrame =
  | { type: 'history'; entries: ChatEntry[] }
  | { type: 'message'; entry: ChatEntry }
  | { type: 'ack'; id: string }
  | { type: 'refused'; id: string; reason: RefusalReason; notice: string }
  | { type: 'retry'; id: string }
  | { type: 'pong'; id: string }
  | { type: 'forgotten' };

/** A client message id: 8–64 letters, digits, _ or - (made by the page, random). */
export const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** Reads one frame from the page; null for anything malformed (it is ignored, never trusted). */
export function parseClientFrame(raw: unknown): ClientFrame | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const frame = raw as Record<string, unknown>;
  if (typeof frame.id !== 'string' || !CLIENT_ID.test(frame.id)) return null;
  if (frame.type === 'ping') return { type: 'ping', id: frame.id };
  if (frame.type !== 'send' || typeof frame.text !== 'string') return null;
  const choiceId = frame.choiceId;
  if (choiceId !== undefined && (typeof choiceId !== 'string' || choiceId.length > 200)) return null;
  return { type: 'send', id: frame.id, text: frame.text, ...(choiceId ? { choiceId } : {}) };
}
