import type { EntityManager } from 'typeorm';
import type {
  ConversationHit,
  ConversationLine,
  ConversationQuery,
  ConversationRecord,
  ConversationSearchRepository,
} from '../../ports/conversation-search.js';
import { num, sql } from '../sql.js';
import { indexSearchWords } from './search-index.js';
import { authorOf } from './turn-rows.js';

type Row = Record<string, unknown>;

/** Up to this many messages with the words, SQLite reads them through the word index. */
const FEW_MATCHES = 2000;

/** Folded words as an FTS5 query: every word, each as a quoted string. */
const ftsMatch = (words: string[]) => words.map((w) => `"${w}"`).join(' ');

/**
 * The bot's mode, flow and step, the flows it goes back to, and the conversation's language, from
 * its stored state (JSON).
 */
function botPlace(state: unknown): ConversationRecord['bot'] {
  if (typeof state !== 'string') return null;
  try {
    const s = JSON.parse(state) as {
      mode?: unknown;
      lang?: unknown;
      at?: { flow?: unknown; step?: unknown };
      stack?: unknown;
    };
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    const stack = Array.isArray(s.stack) ? s.stack.map((r: { flow?: unknown } | null) => text(r?.flow)) : [];
    return {
      mode: text(s.mode) ?? 'bot',
      flow: text(s.at?.flow),
      step: text(s.at?.step),
      outer: stack.filter((f): f is string => f !== null),
      lang: text(s.lang),
    };
  } catch {
    return null;
  }
}

/** How a search reaches the matching messages (see `path`). */
type Path = 'words' | 'conversations' | 'time';

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** An instant column read on either database (bigint ms, timestamptz, or SQLite's datetime text). */
function instant(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' && !/^\d+$/.test(value))
    return new Date(value.includes('T') || value.endsWith('Z') ? value : `${value.replace(' ', 'T')}Z`);
  return new Date(num(value));
}

/**
 * Conversation search in SQL. The words are already folded (src/shared/search-words.ts), and so is
 * each message's `search_text`; SQLite matches them with FTS5 (`inbound_fts`), PostgreSQL with
 * `search_words @@ plainto_tsquery('simple', …)`: the stored words (a generated column) and their
 * GIN index, so a message passed on the way is tested without parsing its text again. Both match a
 * message when it holds every word, so both find the same conversations.
 */
export class SqlConversationSearchRepository implements ConversationSearchRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  private q<R = Row>(text: string, params: unknown[] = []) {
    return sql<R>(this.m, this.kind, text, params);
  }

  /**
   * Walks the matching messages newest first (index `inbound_received`, or the word index when a
   * word is rare) in a growing window, and stops once the window holds `offset + limit`
   * conversations: every conversation outside the window matched only earlier, so the order of
   * those in it is already final. Only the page's conversations are then counted.
   */
  async search(query: ConversationQuery): Promise<ConversationHit[]> {
    // The last messages stored may not be in SQLite's word index yet (it takes them in batches).
    if (this.kind === 'sqlite' && query.words.length > 0) await indexSearchWords(this.m);
    const need = query.offset + query.limit;
    const filter = this.filter(query, await this.path(query));
    let window = Math.max(need * 4, 100);
    for (;;) {
      const { rows } = await this.q(
        `SELECT i.id, i.conversation_key, i.received_at, c.channel, c.needs_human
           FROM ${filter.from}
          WHERE ${filter.where}
          ORDER BY i.received_at DESC, i.id DESC
          LIMIT ?`,
        [...filter.params, window],
      );
      const latest = new Map<string, Row>();
      const counted = new Map<string, number>();
      for (const r of rows) {
        const key = String(r.conversation_key);
        if (!latest.has(key)) latest.set(key, r);
        counted.set(key, (counted.get(key) ?? 0) + 1);
      }
      const complete = rows.length < window;
      if (!complete && latest.size < need) {
        // Few conversations among many matches (a word with a narrow filter): PostgreSQL groups all
        // matches once instead of reading ever larger windows of them again.
        if (this.kind === 'postgres') return this.grouped(query, filter);
        window *= 4;
        continue;
      }
      const page = [...latest.values()].slice(query.offset, need);
      const keys = page.map((r) => String(r.conversation_key));
      const matches = complete ? counted : await this.countMatches(this.filter(query, 'conversations'), keys);
      return this.hits(page, matches);
    }
  }

  /** Every conversation with a matching message, counted once. */
  async count(query: Omit<ConversationQuery, 'limit' | 'offset'>): Promise<number> {
    if (this.kind === 'sqlite' && query.words.length > 0) await indexSearchWords(this.m);
    const whole = { ...query, limit: 0, offset: 0 };
    const filter = this.filter(whole, await this.path(whole));
    const { rows } = await this.q(
      `SELECT COUNT(DISTINCT i.conversation_key) AS n FROM ${filter.from} WHERE ${filter.where}`,
      filter.params,
    );
    return num(rows[0]?.n);
  }

  /**
   * One page straight from every matching message, grouped per conversation: its latest match (the
   * snippet; `received_at`, then `id`, as `search` orders) and how many match, conversations by their
   * latest match. One hash aggregate over all matches, which the GIN index finds without walking
   * past the other messages.
   */
  private async grouped(
    query: ConversationQuery,
    filter: { from: string; where: string; params: unknown[] },
  ): Promise<ConversationHit[]> {
    const { rows } = await this.q(
      `SELECT i.conversation_key, c.channel, c.needs_human, COUNT(*) AS n,
              MAX(ARRAY[i.received_at, i.id::bigint]) AS latest
         FROM ${filter.from}
        WHERE ${filter.where}
        GROUP BY i.conversation_key, c.channel, c.needs_human
        ORDER BY latest DESC
        LIMIT ? OFFSET ?`,
      [...filter.params, query.limit, query.offset],
    );
    const page = rows.map((r) => ({ ...r, id: (r.latest as unknown[])[1] }));
    return this.hits(page, new Map(rows.map((r) => [String(r.conversation_key), num(r.n)])));
  }

  /**
   * SQLite's way to the matching messages (PostgreSQL's planner picks by its statistics): through
   * the word index when few messages hold the words; from the conversations when a filter on them
   * leaves few (asked for a person, a reference, a district, a department's or alderman's own); else along the
   * time index from the newest message.
   */
  private async path(query: ConversationQuery): Promise<Path> {
    if (this.kind !== 'sqlite') return 'time';
    if (query.words.length > 0) {
      const { rows } = await this.q(`SELECT COUNT(*) AS n FROM inbound_fts WHERE inbound_fts MATCH ?`, [
        ftsMatch(query.words),
      ]);
      if (num(rows[0]?.n) <= FEW_MATCHES) return 'words';
    }
    const narrow = query.needsHuman || query.reference || query.districtId || query.scope.kind !== 'all';
    return narrow ? 'conversations' : 'time';
  }

  /**
   * The FROM and WHERE of one query over `inbound i` and `conversations c`, with its params. On
   * SQLite the path fixes the plan: `CROSS JOIN` makes the conversations the outer loop, and a `+`
   * before `i.id` keeps SQLite from driving the query from the word index's list, which is then
   * a test on each message found another way.
   */
  private filter(query: ConversationQuery, path: Path): { from: string; where: string; params: unknown[] } {
    const where: string[] = ["i.kind = 'message'"];
    const params: unknown[] = [];
    if (query.words.length > 0) {
      if (this.kind === 'sqlite') {
        where.push(
          `${path === 'words' ? '' : '+'}i.id IN (SELECT rowid FROM inbound_fts WHERE inbound_fts MATCH ?)`,
        );
        params.push(ftsMatch(query.words));
      } else {
        where.push(`i.search_words @@ plainto_tsquery('simple', ?)`);
        params.push(query.words.join(' '));
      }
    }
    if (query.channel) {
      where.push('c.channel = ?');
      params.push(query.channel);
    }
    if (query.needsHuman) where.push('c.needs_human = 1');
    if (query.districtId) {
      // The district the chat remembers is in the conversation's state (JSON text).
      const remembered =
        this.kind === 'sqlite'
          ? `json_extract(c.state, '$.profile.districtId')`
          : `(c.state::jsonb -> 'profile' ->> 'districtId')`;
      where.push(`(${remembered} = ? OR c.key IN (SELECT resident_key FROM cases WHERE district_id = ?))`);
      params.push(query.districtId, query.districtId);
    }
    if (query.from) {
      where.push('i.received_at >= ?');
      params.push(query.from.getTime());
    }
    if (query.until) {
      where.push('i.received_at < ?');
      params.push(query.until.getTime());
    }
    if (query.reference) {
      where.push(
        `c.key IN (SELECT resident_key FROM cases WHERE reference = ? UNION SELECT resident_key FROM bookings WHERE reference = ?)`,
      );
      params.push(query.reference, query.reference);
    }
    const scope = query.scope;
    if (scope.kind === 'department') {
      where.push(
        `c.key IN (SELECT resident_key FROM cases WHERE assignee_type = 'department' AND assignee_id = ?)`,
      );
      params.push(scope.id);
    } else if (scope.kind === 'alderman') {
      where.push(
        `c.key IN (SELECT resident_key FROM bookings WHERE alderman_id = ?
                   UNION SELECT resident_key FROM cases WHERE assignee_type = 'alderman' AND assignee_id = ?
                   UNION SELECT channel || ':' || user_id FROM staff_identities WHERE alderman_id = ?)`,
      );
      params.push(scope.id, scope.id, scope.id);
    }
    // The query's fields are the params; the SQL around them is fixed above.
    const from =
      path === 'conversations' && this.kind === 'sqlite'
        ? 'conversations c CROSS JOIN inbound i ON i.conversation_key = c.key'
        : 'inbound i JOIN conversations c ON c.key = i.conversation_key';
    return { from, where: where.join(' AND '), params };
  }

  /** How many matching messages each of the page's conversations holds. */
  private async countMatches(
    filter: { from: string; where: string; params: unknown[] },
    keys: string[],
  ): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const { rows } = await this.q(
      `SELECT i.conversation_key, COUNT(*) AS n
         FROM ${filter.from}
        WHERE i.conversation_key IN (${marks(keys.length)}) AND ${filter.where}
        GROUP BY i.conversation_key`,
      [...keys, ...filter.params],
    );
    return new Map(rows.map((r) => [String(r.conversation_key), num(r.n)]));
  }

  /** The page's rows as hits, with each hit's snippet and the conversation's last message. */
  private async hits(page: Row[], matches: Map<string, number>): Promise<ConversationHit[]> {
    if (page.length === 0) return [];
    const keys = page.map((r) => String(r.conversation_key));
    const hitIds = page.map((r) => num(r.id));
    const snippets = await this.q(
      `SELECT id, text, received_at FROM inbound WHERE id IN (${marks(hitIds.length)})`,
      hitIds,
    );
    const last = await this.q(
      `SELECT conversation_key, MAX(received_at) AS at FROM inbound
        WHERE kind = 'message' AND conversation_key IN (${marks(keys.length)}) GROUP BY conversation_key`,
      keys,
    );
    const snippetOf = new Map(
      snippets.rows.map((r) => [num(r.id), { text: String(r.text), at: instant(r.received_at) }]),
    );
    const lastOf = new Map(last.rows.map((r) => [String(r.conversation_key), instant(r.at)]));
    // Where each conversation stands, for the list as for a conversation's page.
    const states = await this.q(
      `SELECT key, state FROM conversations WHERE key IN (${marks(keys.length)})`,
      keys,
    );
    const botOf = new Map(states.rows.map((r) => [String(r.key), botPlace(r.state)]));
    return page.map((r) => ({
      key: String(r.conversation_key),
      channel: String(r.channel),
      needsHuman: num(r.needs_human) === 1,
      lastMessageAt: lastOf.get(String(r.conversation_key)) ?? null,
      snippet: snippetOf.get(num(r.id)) ?? null,
      matches: matches.get(String(r.conversation_key)) ?? 0,
      bot: botOf.get(String(r.conversation_key)) ?? null,
    }));
  }

  async record(key: string, maxLines: number): Promise<ConversationRecord | null> {
    const found = await this.q(
      `SELECT key, channel, user_id, state, needs_human, created_at, updated_at FROM conversations WHERE key = ?`,
      [key],
    );
    const c = found.rows[0];
    if (!c) return null;
    const channel = String(c.channel);
    const userId = String(c.user_id);
    // As the channels' own history: a person's message, then what it caused, in that order.
    const { rows } = await this.q(
      `SELECT side, id, seq, sub, text, body, has_media, status, delivery_state, at FROM (
         SELECT 'in' AS side, id, id AS seq, 0 AS sub, text, NULL AS body, has_media, NULL AS status,
                NULL AS delivery_state, received_at AS at
           FROM inbound WHERE conversation_key = ? AND kind = 'message'
         UNION ALL
         SELECT 'out' AS side, id, COALESCE(cause_id, 0) AS seq, id AS sub, NULL AS text, body, 0 AS has_media,
                status, delivery_state, created_at AS at
           FROM outbox WHERE kind = 'message' AND channel = ? AND user_id = ?
       ) t ORDER BY seq DESC, sub DESC LIMIT ?`,
      [key, channel, userId, maxLines],
    );
    const lines: ConversationLine[] = rows.reverse().map((r) => {
      const at = instant(r.at);
      if (r.side === 'in')
        return { side: 'in', id: num(r.id), text: String(r.text), at, hasMedia: num(r.has_media) === 1 };
      const body = JSON.parse(String(r.body)) as { text?: unknown; author?: unknown };
      const author = authorOf(body.author);
      const delivery =
        r.status === 'failed'
          ? 'failed'
          : r.status === 'pending'
            ? 'pending'
            : typeof r.delivery_state === 'string'
              ? r.delivery_state
              : 'sent';
      return {
        side: 'out',
        id: num(r.id),
        text: typeof body.text === 'string' ? body.text : '',
        at,
        delivery,
        ...(author ? { author } : {}),
      };
    });
    const staff = await this.q(`SELECT alderman_id FROM staff_identities WHERE channel = ? AND user_id = ?`, [
      channel,
      userId,
    ]);
    const cases = await this.q(
      `SELECT reference, topic, status, created_at, assignee_type, assignee_id FROM cases
        WHERE resident_key = ? ORDER BY created_at, reference`,
      [key],
    );
    const bookings = await this.q(
      `SELECT reference, alderman_id, kind, status, slot_start, transcript FROM bookings
        WHERE resident_key = ? ORDER BY slot_start, reference`,
      [key],
    );
    return {
      key,
      channel,
      needsHuman: num(c.needs_human) === 1,
      createdAt: instant(c.created_at),
      updatedAt: instant(c.updated_at),
      bot: botPlace(c.state),
      aldermanId: staff.rows[0] ? String(staff.rows[0].alderman_id) : null,
      lines,
      cases: cases.rows.map((r) => ({
        reference: String(r.reference),
        topic: String(r.topic),
        status: String(r.status),
        createdAt: instant(r.created_at),
        assignee:
          typeof r.assignee_type === 'string' && typeof r.assignee_id === 'string'
            ? { type: r.assignee_type, id: r.assignee_id }
            : null,
      })),
      bookings: bookings.rows.map((r) => ({
        reference: String(r.reference),
        aldermanId: String(r.alderman_id),
        kind: String(r.kind),
        status: String(r.status),
        slotStart: instant(r.slot_start),
        transcript: JSON.parse(
          typeof r.transcript === 'string' ? r.transcript : '[]',
        ) as ConversationRecord['bookings'][number]['transcript'],
      })),
    };
  }

  async channels(): Promise<string[]> {
    const { rows } = await this.q(`SELECT DISTINCT channel FROM conversations ORDER BY channel`);
    return rows.map((r) => String(r.channel));
  }
}
