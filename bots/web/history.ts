import type { Choice } from '../../src/ports/messages.js';
import type { ChatEntry } from './protocol.js';

/** One stored message of a web chat conversation, as the database port gives it. */
export interface HistoryItem {
  side: 'in' | 'out';
  id: number;
  /** For 'in': the message id the adapter gave the engine ('<resident>.<client id>'). */
  messageId?: string;
  text: string;
  choices?: Choice[];
  at: Date;
}

/** The port the composition root passes in: the latest messages of one web chat resident. */
export interface WebChatHistory {
  recent(userId: string, limit: number): Promise<HistoryItem[]>;
}

/** The engine's message id for what a resident sent: scoped to the resident, so ids never collide. */
export function inboundMessageId(residentId: string, clientId: string): string {
  return `${residentId}.${clientId}`;
}

/** Stored messages as the page shows them, with the same keys as live messages. */
export function toEntries(items: HistoryItem[]): ChatEntry[] {
  return items.map((item) => {
    if (item.side === 'out') {
      return { key: `s:${item.id}`, from: 'service', text: item.text, ...choicesOf(item.choices) };
    }
    const clientId = item.messageId?.split('.').slice(1).join('.') || `i${item.id}`;
    return { key: `r:${clientId}`, from: 'resident', text: item.text };
  });
}

function choicesOf(choices: Choice[] | undefined): { choices?: Choice[] } {
  return choices?.length ? { choices: choices.map((c) => ({ id: c.id, label: c.label })) } : {};
}
