import type { EntityManager } from 'typeorm';
import type { StoredOutboxItem, TurnEnd, TurnStart } from '../../ports/conversation-repository.js';
import { conversationKey } from '../../shared/address.js';
import { num, sql } from '../sql.js';
import {
  claimedOf,
  handledIds,
  inboundValues,
  ITEM_COLUMNS,
  knownOf,
  needsHumanOf,
  outboxValuesOf,
  toTurn,
  TURN_COLUMNS,
  turnAfterStore,
  type StoreItem,
} from './turn-rows.js';

/**
 * PostgreSQL: the engine's two writes of a turn for the turns of several conversations at once
 * (group commit, see ../group-commit.ts): one statement stores the messages of many conversations and
 * reads each one's turn, one statement saves many turns. Each does for every conversation in it what
 * the single statements in conversation-repository.ts do for one, with the same checks; the values
 * go in as arrays, so the text is the same for any number of turns.
 *
 * Both run unnamed, planned for their values each time: with the arrays' real lengths the planner
 * looks every row up by its index. A generic plan guesses 100 rows per array and could read a whole
 * table instead; the planning is shared by all turns of the batch.
 */

/** The messages of several conversations (one each), stored, and each one's turn read. */
const STORE_AND_READ_TURNS = `WITH v AS (SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::text[],
    ?::varchar[], ?::int[], ?::varchar[], ?::text[], ?::bigint[], ?::text[], ?::varchar[], ?::varchar[], ?::text[])
    WITH ORDINALITY AS v(dedupe_key, conversation_key, kind, text, choice_id, has_media, first_name, event,
      received_at, search_text, channel, user_id, state, n)),
 i AS (INSERT INTO inbound (dedupe_key, conversation_key, kind, text, choice_id, has_media, first_name, event,
     status, attempts, received_at, search_text)
   SELECT dedupe_key, conversation_key, kind, text, choice_id, has_media, first_name, event, 'pending', 0,
     received_at, search_text FROM v ORDER BY n
   ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key, ${ITEM_COLUMNS}),
 c AS (INSERT INTO conversations (key, channel, user_id, state, needs_human, created_at, updated_at)
   SELECT v.conversation_key, v.channel, v.user_id, v.state, 0, v.received_at, v.received_at
   FROM v JOIN i ON i.dedupe_key = v.dedupe_key ORDER BY v.n
   ON CONFLICT (key) DO NOTHING RETURNING key, channel, user_id, state, needs_human, version)
 SELECT v.n AS batch_n, i.id AS stored_id, ${TURN_COLUMNS.map((c) => `t.${c}`).join(', ')}
 FROM v LEFT JOIN i ON i.dedupe_key = v.dedupe_key LEFT JOIN LATERAL (
   ${turnAfterStore(`(SELECT key, channel, user_id, state, needs_human, version FROM conversations WHERE key = i.conversation_key
     UNION ALL SELECT key, channel, user_id, state, needs_human, version FROM c WHERE c.key = i.conversation_key) k`)}) t ON true`;

/**
 * Stores one message of each of several conversations and reads each one's turn, as
 * `storeAndReadTurn` does for one: the new id (null for a repeat) and the turn (null when another
 * process created the conversation meanwhile; the caller reads it then). Keys must differ.
 */
export async function storeAndReadTurns(
  m: EntityManager,
  items: readonly StoreItem[],
): Promise<{ id: number | null; turn: TurnStart | null }[]> {
  const columns: unknown[][] = Array.from({ length: 13 }, () => []);
  const order = byKey(items, (item) => conversationKey(item.address));
  for (const item of order.map((i) => items[i] as StoreItem)) {
    const { values, conversation } = inboundValues(item);
    // The inbound row's ten values, then the conversation's channel, user and starting state.
    [...values, conversation[1], conversation[2], conversation[3]].forEach((value, c) =>
      columns[c]?.push(value),
    );
  }
  const { rows } = await sql(m, 'postgres', STORE_AND_READ_TURNS, columns, { named: false });
  const results = items.map(() => ({ id: null as number | null, turn: null as TurnStart | null }));
  for (const row of rows) {
    const result = results[order[num(row.batch_n) - 1] ?? -1];
    if (!result || row.stored_id === null || row.stored_id === undefined) continue;
    result.id = num(row.stored_id);
    if (row.key !== null && row.key !== undefined) result.turn = toTurn(row);
  }
  return results;
}

/**
 * Several conversations' turns saved in one statement, each as `finishTurn` saves one: its state
 * only if the conversation is still at the version read and each item it handled still pending,
 * then those items marked handled and its outbox rows written. As there, a turn counts as saved (and
 * its outbox rows are written) only when its items were marked: not one whose item another
 * transaction took out of pending while the statement ran. A turn that fails its check is not
 * saved; the others are. The outbox rows are written in the turns' order, so their ids, in order,
 * are each saved turn's items in order.
 */
const FINISH_TURNS = `WITH t AS (SELECT * FROM unnest(?::int[], ?::varchar[], ?::int[], ?::text[], ?::int[],
    ?::bigint[], ?::bigint[], ?::int[], ?::text[])
    AS t(n, key, version, state, needs_human, now, claim_until, handled, known)),
 hd AS (SELECT * FROM unnest(?::int[], ?::int[]) AS hd(n, id)),
 c AS (
   UPDATE conversations x SET state = t.state, needs_human = COALESCE(t.needs_human, x.needs_human),
     updated_at = t.now, version = x.version + 1
   FROM t WHERE x.key = t.key AND x.version = t.version AND t.handled = (
     SELECT count(*) FROM hd JOIN inbound p ON p.id = hd.id WHERE hd.n = t.n AND p.status = 'pending')
   RETURNING t.n, t.now, t.claim_until, t.known),
 h AS (
   UPDATE inbound p SET status = 'done', handled_at = c.now FROM hd JOIN c ON c.n = hd.n
   WHERE p.id = hd.id AND p.status = 'pending' RETURNING hd.n),
 s AS (SELECT DISTINCT n FROM h),
 v AS (SELECT * FROM unnest(?::int[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::int[],
    ?::boolean[]) WITH ORDINALITY AS v(n, kind, channel, user_id, body, cause_id, direct, seq)),
 o AS (
   INSERT INTO outbox (kind, channel, user_id, body, cause_id, status, attempts, claimed_until, created_at)
   SELECT v.kind, v.channel, v.user_id, v.body, v.cause_id, 'pending', 0,
     CASE WHEN v.direct AND w.id IS NULL THEN c.claim_until ELSE c.now END, c.now
   FROM v JOIN c ON c.n = v.n JOIN s ON s.n = v.n LEFT JOIN LATERAL (SELECT e.id FROM outbox e WHERE e.channel = v.channel
       AND e.user_id = v.user_id AND e.kind = 'message' AND e.status = 'pending'
       AND e.id <> ALL (c.known::int[]) LIMIT 1) w ON v.direct
   ORDER BY v.seq
   RETURNING id, claimed_until)
 SELECT s.n AS saved, NULL::int AS id, NULL::bigint AS claimed_until FROM s
 UNION ALL SELECT NULL, o.id, o.claimed_until FROM o`;

/** Saves several conversations' turns (keys must differ): per turn, its items as `finishTurn` returns them, or null. */
export async function finishTurns(
  m: EntityManager,
  turns: readonly TurnEnd[],
): Promise<(StoredOutboxItem[] | null)[]> {
  const t: unknown[][] = Array.from({ length: 9 }, () => []);
  const hd: unknown[][] = [[], []];
  const v: unknown[][] = Array.from({ length: 7 }, () => []);
  const order = byKey(turns, (turn) => turn.key);
  for (const [n, turn] of order.map((i) => turns[i] as TurnEnd).entries()) {
    const ids = handledIds(turn);
    const now = turn.now.getTime();
    const row = [
      n,
      turn.key,
      turn.version,
      JSON.stringify(turn.state),
      needsHumanOf(turn.flags),
      now,
      turn.claimUntil.getTime(),
      ids.length,
      knownOf(turn),
    ];
    row.forEach((value, c) => t[c]?.push(value));
    for (const id of ids) {
      hd[0]?.push(n);
      hd[1]?.push(id);
    }
    for (const item of outboxValuesOf(turn))
      [n, item.kind, item.channel, item.userId, item.body, item.causeId, item.direct].forEach((value, c) =>
        v[c]?.push(value),
      );
  }
  const { rows } = await sql(m, 'postgres', FINISH_TURNS, [...t, ...hd, ...v], { named: false });
  const saved = new Set<number>();
  const stored: { id: number; claimedUntil: number }[] = [];
  for (const row of rows) {
    if (row.saved !== null && row.saved !== undefined) saved.add(num(row.saved));
    else stored.push({ id: num(row.id), claimedUntil: num(row.claimed_until) });
  }
  stored.sort((a, b) => a.id - b.id);
  const results: (StoredOutboxItem[] | null)[] = turns.map(() => null);
  let next = 0;
  for (const [n, i] of order.entries()) {
    const turn = turns[i] as TurnEnd;
    if (!saved.has(n)) continue;
    results[i] = claimedOf(turn, stored.slice(next, next + turn.items.length));
    next += turn.items.length;
  }
  return results;
}

/**
 * The calls' positions in the order of their conversations' keys. Every batch writes its rows in
 * that order, so two processes' batches that meet on the same rows (two drains of one conversation)
 * take their locks in the same order and wait for each other rather than deadlock.
 */
function byKey<T>(calls: readonly T[], key: (call: T) => string): number[] {
  return calls
    .map((call, i) => ({ key: key(call), i }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i))
    .map(({ i }) => i);
}
