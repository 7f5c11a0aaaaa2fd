import { defineFeature, type FeatureDeps } from '../../ports/feature.js';
import type { ConversationHit, ConversationRecord } from '../../ports/conversation-search.js';
import { isLocalDate, localDayBounds } from '../../shared/local-date.js';
import { queryWords } from '../../shared/search-words.js';
import type { Role } from '../accounts/roles.js';
import { findSensitive, maskSensitive } from '../cases/sensitive.js';
import { conversationScope, mayRead } from './policy.js';

/** What the search form sends (every field optional, as typed). */
export interface ChatLogSearch {
  q?: string;
  channel?: string;
  /** Local dates `YYYY-MM-DD` in the municipality's zone; `until` is inclusive. */
  from?: string;
  until?: string;
  needsHuman?: boolean;
  reference?: string;
  districtId?: string;
  /** 1-based. */
  page?: number;
}

export const PAGE_SIZE = 25;
/** The most lines one transcript page shows (the latest ones). */
export const MAX_LINES = 2000;

/** A conversation as staff read it; `masked` counts the texts in which a number was masked. */
export type ChatLogRecord = ConversationRecord & { masked: number };

/**
 * The record with every BSN, IBAN and phone number in its messages and live transcripts masked, as
 * on the case page. Chat logs never reveal them: only the case page does, per case and audited.
 */
function maskedRecord(record: ConversationRecord): ChatLogRecord {
  let masked = 0;
  const words = (text: string): string => {
    if (findSensitive(text).length === 0) return text;
    masked++;
    return maskSensitive(text);
  };
  const lines = record.lines.map((l) => ({ ...l, text: words(l.text) }));
  const bookings = record.bookings.map((b) => ({
    ...b,
    transcript: b.transcript.map((line) => ({ ...line, text: words(line.text) })),
  }));
  return { ...record, lines, bookings, masked };
}

function chatLogCommands(deps: FeatureDeps) {
  const zone = deps.municipality.timeZone;
  return {
    /** One page of the conversations `role` may read that match, latest match first. */
    async search(
      role: Role,
      input: ChatLogSearch,
    ): Promise<{
      hits: ConversationHit[];
      more: boolean;
      words: string[];
      page: number;
      /** How many conversations match, on every page; and how many pages they fill (at least 1). */
      total: number;
      pages: number;
    }> {
      const words = queryWords(input.q ?? '');
      const asked = Math.max(1, Math.min(1000, Math.trunc(input.page ?? 1) || 1));
      const from = input.from && isLocalDate(input.from) ? localDayBounds(input.from, zone).start : undefined;
      const until =
        input.until && isLocalDate(input.until) ? localDayBounds(input.until, zone).end : undefined;
      const reference = input.reference?.trim().toUpperCase();
      const query = {
        words,
        scope: conversationScope(role),
        ...(input.channel ? { channel: input.channel } : {}),
        ...(from ? { from } : {}),
        ...(until ? { until } : {}),
        ...(input.needsHuman ? { needsHuman: true } : {}),
        ...(reference ? { reference } : {}),
        ...(input.districtId ? { districtId: input.districtId } : {}),
      };
      // A page past the last (an old link, a list grown shorter) is the last page: the list never
      // says "Pagina 5 van 2" above no rows.
      const [rows, total, page] = await deps.uow.run(async (r) => {
        const total = await r.conversationSearch.count(query);
        const page = Math.min(asked, Math.max(1, Math.ceil(total / PAGE_SIZE)));
        const offset = (page - 1) * PAGE_SIZE;
        return [await r.conversationSearch.search({ ...query, limit: PAGE_SIZE + 1, offset }), total, page];
      });
      // Masked whole, before the page cuts a snippet around the words: a cut never shows a number.
      const hits = rows
        .slice(0, PAGE_SIZE)
        .map((h) =>
          h.snippet ? { ...h, snippet: { ...h.snippet, text: maskSensitive(h.snippet.text) } } : h,
        );
      return {
        hits,
        more: rows.length > PAGE_SIZE,
        words,
        page,
        total,
        pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      };
    },
    /**
     * The whole conversation with numbers masked, or null when there is none or `role` may not
     * read it (both a 404).
     */
    async open(role: Role, key: string): Promise<ChatLogRecord | null> {
      const record = await deps.uow.run((r) => r.conversationSearch.record(key, MAX_LINES));
      if (!record || !mayRead(conversationScope(role), record)) return null;
      return maskedRecord(record);
    },
    /** The channels to filter on. */
    channels: () => deps.uow.run((r) => r.conversationSearch.channels()),
  };
}

export type ChatLogCommands = ReturnType<typeof chatLogCommands>;

/** The chat logs: staff search and read conversations, each within their role's scope. */
export const chatLogsFeature = defineFeature({ name: 'chatLogs', commands: chatLogCommands });
