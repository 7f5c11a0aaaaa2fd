import type {
  ConversationRepository,
  OutboxItem,
  StoredConversation,
  StoredInbound,
  StoredOutboxItem,
  TurnEnd,
  TurnStart,
} from '../../ports/conversation-repository.js';
import type { Author } from '../../ports/messages.js';
import { searchText } from '../../shared/search-words.js';
import { conversationKey } from '../../shared/address.js';
import { num } from '../sql.js';

/** The rows of the engine's turn, as the turn's statements read and write them (one conversation's, or a batch's). */

type Row = Record<string, unknown>;

export function needsHumanOf(flags: { needsHuman?: boolean }): number | null {
  return flags.needsHuman === undefined ? null : flags.needsHuman ? 1 : 0;
}

/** The turn's items with their new ids; the ones claimed until `claimUntil` are this process's to deliver. */
export function claimedOf(turn: TurnEnd, stored: { id: number; claimedUntil: number }[]): StoredOutboxItem[] {
  const claimUntil = turn.claimUntil.getTime();
  return turn.items.flatMap((item, i) => {
    const row = stored[i];
    return row && row.claimedUntil === claimUntil ? [{ ...item, id: row.id, attempts: 0 }] : [];
  });
}

/** The items a turn handled: its own, and the waiting ones it took in after it. */
export function handledIds(turn: TurnEnd): number[] {
  return [turn.inboundId, ...(turn.alsoHandled ?? [])];
}

export type StoreItem = Parameters<ConversationRepository['storeInbound']>[0];

/** The columns of an inbound item that a turn reads (`toInbound`). */
export const ITEM_COLUMNS =
  'id, conversation_key, kind, text, choice_id, has_media, first_name, event, attempts';
/** The columns of a turn's row (`toTurn`); spelled out, so that sql.ts may name the statement. */
export const TURN_COLUMNS = [
  ...['key', 'channel', 'user_id', 'state', 'needs_human', 'version'],
  ...ITEM_COLUMNS.split(', '),
  ...['alderman_id', 'undelivered', 'more'],
];

/**
 * The values of INSERT_INBOUND for an item, its conversation key, and the values of the conversation
 * row the store creates when there is none (key, channel, user, starting state, created, updated).
 */
export function inboundValues(item: StoreItem): { key: string; values: unknown[]; conversation: unknown[] } {
  const key = conversationKey(item.address);
  const at = item.now.getTime();
  const values = [
    item.dedupeKey,
    key,
    item.kind,
    item.text,
    item.choiceId ?? null,
    item.hasMedia ? 1 : 0,
    item.firstName ?? null,
    item.event ? JSON.stringify(item.event) : null,
    at,
    // The words search finds it by (src/shared/search-words.ts); events are not searched.
    item.kind === 'message' ? searchText(item.text) : null,
  ];
  const state = item.initialState === undefined ? null : JSON.stringify(item.initialState);
  return { key, values, conversation: [key, item.address.channel, item.address.userId, state, at, at] };
}

/** A row of readTurn (or storeAndReadTurn) as the turn it starts. */
export function toTurn(row: Row): TurnStart {
  const undelivered =
    typeof row.undelivered === 'string' && row.undelivered ? row.undelivered.split(',') : [];
  return {
    conversation: toConversation(row),
    version: num(row.version),
    item: toInbound(row),
    more: num(row.more) === 1,
    ...(typeof row.alderman_id === 'string' ? { aldermanId: row.alderman_id } : {}),
    undelivered: undelivered.map(Number).sort((a, b) => a - b),
  };
}

export function toConversation(row: Row): StoredConversation {
  return {
    key: String(row.key),
    channel: String(row.channel),
    userId: String(row.user_id),
    state: typeof row.state === 'string' ? (JSON.parse(row.state) as unknown) : null,
    needsHuman: num(row.needs_human) === 1,
  };
}

export function toInbound(row: Row): StoredInbound {
  const item: StoredInbound = {
    id: num(row.id),
    conversationKey: String(row.conversation_key),
    kind: row.kind === 'event' ? 'event' : 'message',
    text: String(row.text),
    hasMedia: num(row.has_media) === 1,
    attempts: num(row.attempts),
  };
  if (typeof row.choice_id === 'string') item.choiceId = row.choice_id;
  if (typeof row.first_name === 'string') item.firstName = row.first_name;
  if (typeof row.event === 'string') item.event = JSON.parse(row.event) as StoredInbound['event'];
  return item;
}

/** An outbox item's stored body (JSON). A message always names its author: see `OutboxItem`. */
export function body(item: OutboxItem): unknown {
  if (item.kind === 'message')
    return { text: item.text, choices: item.choices, author: item.author ?? { role: 'bot' } };
  if (item.kind === 'job')
    return { name: item.name, data: item.data, jobId: item.jobId, runAt: item.runAt?.getTime() };
  return { jobId: item.jobId };
}

/** An outbox row a turn writes, as its statement takes it. */
export interface OutboxValues {
  kind: string;
  channel: string | null;
  userId: string | null;
  body: string;
  causeId: number | null;
  /** Claimed by this process to send itself, unless another message to the person waits by then (jobs always). */
  direct: boolean;
}

/** The outbox rows of a turn, in its items' order. */
export function outboxValuesOf(turn: TurnEnd): OutboxValues[] {
  return turn.items.map((item) => {
    const to = item.kind === 'message' ? item.to : undefined;
    return {
      kind: item.kind,
      channel: to?.channel ?? null,
      userId: to?.userId ?? null,
      body: JSON.stringify(body(item)),
      causeId: item.causeId ?? null,
      direct: item.kind !== 'message' || turn.direct.has(conversationKey(item.to)),
    };
  });
}

/** The undelivered messages the turn knows are on their way, as a PostgreSQL int[] literal. */
export function knownOf(turn: TurnEnd): string {
  return `{${[...turn.direct.values()].flat().join(',')}}`;
}

/**
 * PostgreSQL, for a statement that just stored the inbound row `i`: the turn of its conversation
 * `k` (a row source with key, channel, user_id, state, needs_human, version), with the oldest
 * pending item `f`. The statement sees the tables as they were before it, so `i` itself is
 * offered beside the pending items read. The TURN_COLUMNS of toTurn, for one row of `i`.
 */
export function turnAfterStore(k: string): string {
  return `SELECT k.key, k.channel, k.user_id, k.state, k.needs_human, k.version, ${ITEM_COLUMNS.replace(/(\w+)/g, 'f.$1')},
     (SELECT alderman_id FROM staff_identities s WHERE s.channel = k.channel AND s.user_id = k.user_id)
       AS alderman_id,
     (SELECT string_agg(o.id::text, ',') FROM outbox o WHERE o.channel = k.channel AND o.user_id = k.user_id
       AND o.kind = 'message' AND o.status = 'pending') AS undelivered,
     CASE WHEN f.id <> i.id OR EXISTS (SELECT 1 FROM inbound m WHERE m.conversation_key = k.key
       AND m.status = 'pending' AND m.id > f.id) THEN 1 ELSE 0 END AS more
   FROM ${k} CROSS JOIN LATERAL (
     (SELECT ${ITEM_COLUMNS} FROM inbound p WHERE p.conversation_key = k.key AND p.status = 'pending'
       ORDER BY p.id LIMIT 1)
     UNION ALL SELECT i.id, i.conversation_key, i.kind, i.text, i.choice_id, i.has_media, i.first_name,
       i.event, i.attempts
     ORDER BY id LIMIT 1) f`;
}

/** A stored message's author; undefined for one stored before authors were kept (or unreadable). */
export function authorOf(stored: unknown): Author | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { role, id } = stored as { role?: unknown; id?: unknown };
  if (role === 'bot') return { role };
  const known = typeof id === 'string' && id !== '';
  if (role === 'operator') return known ? { role, id } : { role };
  return role === 'alderman' && known ? { role, id } : undefined;
}
