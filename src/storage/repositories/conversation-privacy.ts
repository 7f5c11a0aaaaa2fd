import type { EntityManager } from 'typeorm';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from '../../ports/personal-data.js';
import { deleteBatch, holdsAny, rowsOf } from '../personal-data.js';
import { sql } from '../sql.js';

type Kind = 'sqlite' | 'postgres';

/** Handled inbound items (messages and events) received before `batch.before`. */
export function purgeInbound(m: EntityManager, kind: Kind, batch: PurgeBatch): Promise<number> {
  const select = `SELECT id FROM inbound WHERE received_at < ? AND status <> 'pending' ORDER BY id`;
  return deleteBatch(m, kind, 'inbound', 'id', select, [batch.before.getTime()], batch);
}

/** Settled outbox items made before `batch.before`: messages, or the other kinds (jobs, cancellations). */
export function purgeOutbox(
  m: EntityManager,
  kind: Kind,
  which: 'messages' | 'deliveries',
  batch: PurgeBatch,
): Promise<number> {
  const kindIs = which === 'messages' ? `kind = 'message'` : `kind <> 'message'`;
  const select = `SELECT id FROM outbox WHERE ${kindIs} AND created_at < ? AND status <> 'pending' ORDER BY id`;
  return deleteBatch(m, kind, 'outbox', 'id', select, [batch.before.getTime()], batch);
}

/** Conversations without activity since `batch.before` and with nothing waiting to be handled. */
export function purgeConversations(m: EntityManager, kind: Kind, batch: PurgeBatch): Promise<number> {
  const select = `SELECT key FROM conversations c WHERE updated_at < ?
    AND NOT EXISTS (SELECT 1 FROM inbound i WHERE i.conversation_key = c.key AND i.status = 'pending')`;
  return deleteBatch(m, kind, 'conversations', 'key', select, [batch.before.getTime()], batch);
}

/**
 * Where a resident's data sits in the engine's tables: their conversation; their inbound items, and
 * events elsewhere that name them (a live message relayed to the alderman); the outbox items sent to
 * them, caused by those inbound items, or naming them.
 */
function matches(kind: Kind, s: DataSubject) {
  const inbound = {
    where: `(conversation_key = ? OR (event IS NOT NULL AND ${holdsAny(kind, 'event', s.needles)}))`,
    params: [s.key, ...s.needles],
  };
  return {
    conversations: { where: 'key = ?', params: [s.key] },
    inbound,
    outbox: {
      where: `((channel = ? AND user_id = ?) OR cause_id IN (SELECT id FROM inbound WHERE ${inbound.where})
               OR ${holdsAny(kind, 'body', s.needles)})`,
      params: [s.address.channel, s.address.userId, ...inbound.params, ...s.needles],
    },
  };
}

/** Every engine row of the resident. */
export async function conversationData(m: EntityManager, kind: Kind, s: DataSubject): Promise<StoredRows> {
  const q = matches(kind, s);
  return {
    conversations: await rowsOf(m, kind, 'conversations', q.conversations.where, q.conversations.params),
    inbound: await rowsOf(m, kind, 'inbound', `${q.inbound.where} ORDER BY id`, q.inbound.params),
    outbox: await rowsOf(m, kind, 'outbox', `${q.outbox.where} ORDER BY id`, q.outbox.params),
  };
}

/**
 * Deletes every engine row of the resident: the conversation first, then the outbox (found through
 * the inbound ids), then the inbound items. On PostgreSQL a message stored meanwhile creates its
 * conversation with ON CONFLICT DO NOTHING, which waits for a row being deleted (not for one only
 * locked): it then starts a new conversation after the commit, instead of leaving an item pending
 * with no conversation to handle it.
 */
export async function eraseConversationData(m: EntityManager, kind: Kind, s: DataSubject): Promise<Counts> {
  const q = matches(kind, s);
  const run = async (table: string, where: { where: string; params: unknown[] }) =>
    (await sql(m, kind, `DELETE FROM ${table} WHERE ${where.where}`, where.params)).affected;
  const conversations = await run('conversations', q.conversations);
  const outbox = await run('outbox', q.outbox);
  const inbound = await run('inbound', q.inbound);
  return { conversations, inbound, outbox };
}
