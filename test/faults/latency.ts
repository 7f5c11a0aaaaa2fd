/**
 * How long replies took to reach the fake Telegram, read after the load (before the timers move the
 * clock): per reply from its outbox row (written when the inbound was handled, or by a job) to the
 * fake receiving it, and per inbound message from being stored to the fake receiving its first reply.
 * Printed as figures only; nothing here passes or fails a run.
 */
import type { FakeTelegramApi } from '../support/fake-telegram-api.js';
import type { PrivatePostgres } from './private-services.js';

export interface LatencyFigures {
  /** Replies matched to what the fake received (each reply's text, in the order written). */
  replies: number;
  /** Outbox row written → fake received, ms. */
  reply: Percentiles;
  /** Inbound stored → fake received its first reply, ms (what a resident waits). */
  firstReply: Percentiles;
  /** Between two consecutive messages one chat received, ms. */
  chatGap: Percentiles;
}

export interface Percentiles {
  p50: number;
  p95: number;
  max: number;
}

export async function replyLatency(
  db: PrivatePostgres,
  database: string,
  api: FakeTelegramApi,
): Promise<LatencyFigures> {
  const outbox = await db.queryIn(
    database,
    `SELECT o.id, o.user_id, o.body, o.cause_id, o.created_at, i.received_at
     FROM outbox o LEFT JOIN inbound i ON i.id = o.cause_id
     WHERE o.kind = 'message' AND o.channel = 'telegram' AND o.status = 'sent' ORDER BY o.id`,
  );
  const byChat = new Map<string, typeof outbox>();
  for (const row of outbox) {
    const chat = String(row.user_id);
    byChat.set(chat, [...(byChat.get(chat) ?? []), row]);
  }
  const reply: number[] = [];
  const firstAt = new Map<number, { received: number; at: number }>();
  for (const [chat, rows] of byChat) {
    const received = api.sentTo(chat);
    let from = 0;
    for (const row of rows) {
      const text = (JSON.parse(String(row.body)) as { text: string }).text;
      // A reply may reach the fake in parts (long texts are split): its first part counts.
      const index = received.findIndex((m, i) => i >= from && text.startsWith(m.text));
      if (index < 0) continue;
      from = index + 1;
      const at = received[index]!.at;
      reply.push(at - Number(row.created_at));
      const cause = Number(row.cause_id);
      if (row.cause_id !== null && row.received_at !== null && !firstAt.has(cause))
        firstAt.set(cause, { received: Number(row.received_at), at });
    }
  }
  // Between two messages one chat received: about perChatIntervalMs throughout when chats wait on it.
  const gaps: number[] = [];
  for (const chat of byChat.keys()) {
    const received = api.sentTo(chat);
    for (let i = 1; i < received.length; i++) gaps.push(received[i]!.at - received[i - 1]!.at);
  }
  return {
    replies: reply.length,
    reply: percentiles(reply),
    firstReply: percentiles([...firstAt.values()].map((f) => f.at - f.received)),
    chatGap: percentiles(gaps),
  };
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? 0 };
}
