import type { FastifyInstance } from 'fastify';
import type { ChatLogCommands, ChatLogSearch } from '../../features/chat-logs/feature.js';
import type { ConversationRecord } from '../../ports/conversation-search.js';
import { isTextKey, translator, type Language, type Translate } from '../../i18n/translator.js';
import { isLocalDate } from '../../shared/local-date.js';
import { rawTokens, searchWord } from '../../shared/search-words.js';
import { textPdf } from '../../shared/pdf.js';
import {
  deliveryText,
  lineAuthor,
  liveLineAuthor,
  liveLineText,
  transcriptLines,
} from './conversation-export.js';
import { languageWords, noFlowLabels, placeWords, type FlowLabels } from './conversation-place.js';
import { staffOf } from './guards.js';
import type { AuthorNames } from './out-author.js';
import { dashboardDateTime } from './plugin.js';
import type { DashboardSection } from './types.js';

type Query = Record<string, string | undefined>;

/** The search form's fields, as typed, kept short. */
function paramsOf(query: Query): Required<
  Record<'q' | 'channel' | 'district' | 'from' | 'until' | 'reference', string>
> & {
  needsHuman: boolean;
  page: number;
} {
  const text = (v: string | undefined, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
  const date = (v: string | undefined) => (v && isLocalDate(v) ? v : '');
  const page = Number(query.page);
  return {
    q: text(query.q, 200),
    channel: text(query.channel, 40),
    district: text(query.district, 64),
    from: date(query.from),
    until: date(query.until),
    reference: text(query.reference, 40),
    needsHuman: query.needs_human === '1',
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
  };
}

/** A message cut to about `max` characters around its first matching word, with the matches marked. */
export function snippetParts(
  text: string,
  words: readonly string[],
  max = 200,
): { text: string; hit: boolean }[] {
  const wanted = new Set(words);
  const tokens = [...text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)];
  const first = tokens.find((t) => rawTokens(t[0]).some((r) => wanted.has(searchWord(r) ?? '')));
  let start = 0;
  if (first?.index !== undefined && first.index > max / 2) start = first.index - Math.floor(max / 4);
  const cut = text.slice(start, start + max);
  const parts: { text: string; hit: boolean }[] = [];
  if (start > 0) parts.push({ text: '… ', hit: false });
  let at = 0;
  for (const t of cut.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    if (!wanted.has(searchWord(t[0]) ?? '') || t.index === undefined) continue;
    if (t.index > at) parts.push({ text: cut.slice(at, t.index), hit: false });
    parts.push({ text: t[0], hit: true });
    at = t.index + t[0].length;
  }
  if (at < cut.length) parts.push({ text: cut.slice(at), hit: false });
  if (start + max < text.length) parts.push({ text: ' …', hit: false });
  return parts;
}

const pageHref = (p: ReturnType<typeof paramsOf>, page: number) => {
  const q = new URLSearchParams();
  for (const name of ['q', 'channel', 'district', 'from', 'until', 'reference'] as const)
    if (p[name]) q.set(name, p[name]);
  if (p.needsHuman) q.set('needs_human', '1');
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return `/dashboard/conversations${s ? `?${s}` : ''}`;
};

/**
 * What the list above the table says it shows, and how its columns are named. A search (words or a
 * filter) finds conversations; without one the list is simply the latest conversations, and the count
 * beside each is how many messages it holds, not how many "were found".
 */
function listWords(
  t: Translate,
  p: ReturnType<typeof paramsOf>,
  result: { words: string[]; total: number; hits: unknown[] },
): { found: string; caption: string; countColumn: string } {
  const count = String(result.total);
  const filtered =
    p.needsHuman || [p.channel, p.district, p.from, p.until, p.reference].some((v) => v !== '');
  const countColumn =
    result.words.length > 0
      ? t('dashboard.conversations.col.matches')
      : t('dashboard.conversations.col.messages');
  if (result.words.length > 0)
    return {
      found: t('dashboard.conversations.count_words', { count, words: p.q.trim() }),
      caption: t('dashboard.conversations.caption'),
      countColumn,
    };
  if (filtered)
    return {
      found: t('dashboard.conversations.count', { count }),
      caption: t('dashboard.conversations.caption'),
      countColumn,
    };
  return {
    found: t('dashboard.conversations.latest', { count, shown: String(result.hits.length) }),
    caption: t('dashboard.conversations.caption_latest'),
    countColumn,
  };
}

/** A stored value (a channel, a status) in words: the text `<prefix><value>` when there is one, else the value. */
function wordsFor(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}${value}`;
  return isTextKey(key) ? t(key as 'dashboard.cases.channel.web') : value;
}

/**
 * `/dashboard/conversations` (search with filters, paged) and `/dashboard/conversations/<key>` (one
 * whole conversation). Every role may search, within its scope; a conversation outside the scope is a
 * 404. Each search and each conversation opened is in the audit log. `place` names where the chatbot
 * is: a flow's label and a step's, and which operator took the resident over (webcare), if one did.
 * `staffNames` (account id → name) names the operator who wrote a reply.
 */
export function conversationsDashboardSection(
  chatLogs: ChatLogCommands,
  texts: Parameters<typeof translator>[0],
  aldermanName: (id: string) => string,
  districts: readonly { id: string; name: string }[] = [],
  topicName: (id: string, lang: Language) => string = (id) => id,
  place: { labels: FlowLabels; holder(key: string): Promise<string | null> } = {
    labels: noFlowLabels,
    holder: () => Promise.resolve(null),
  },
  staffNames: () => Promise<ReadonlyMap<string, string>> = () => Promise.resolve(new Map()),
): DashboardSection {
  // Who wrote the outgoing lines: operators by their account's name, aldermen by theirs.
  const authorNames = async (): Promise<AuthorNames> => {
    const staff = await staffNames();
    return { staff: (id) => staff.get(id), alderman: aldermanName };
  };
  const where = async (record: Pick<ConversationRecord, 'key' | 'bot'>, t: Translate) =>
    record.bot
      ? placeWords(
          record.bot,
          t,
          place.labels,
          record.bot.mode === 'human' ? await place.holder(record.key) : null,
        )
      : null;
  return {
    nav: [{ href: '/dashboard/conversations', label: 'dashboard.nav.conversations', visible: () => true }],
    routes(scope: FastifyInstance) {
      scope.get('/conversations', async (request, reply) => {
        const account = staffOf(request);
        const t = translator(texts, request.dashboardLang);
        const p = paramsOf(request.query as Query);
        const input: ChatLogSearch = {
          q: p.q,
          page: p.page,
          needsHuman: p.needsHuman,
          ...(p.channel ? { channel: p.channel } : {}),
          ...(p.district ? { districtId: p.district } : {}),
          ...(p.from ? { from: p.from } : {}),
          ...(p.until ? { until: p.until } : {}),
          ...(p.reference ? { reference: p.reference } : {}),
        };
        const [result, channels] = await Promise.all([
          chatLogs.search(account.role, input),
          chatLogs.channels(),
        ]);
        // Who searched with which filters; the words themselves may name a person, so only how many.
        await request.audit('conversation.search', 'conversations', {
          words: result.words.length,
          ...(p.channel ? { channel: p.channel } : {}),
          ...(p.district ? { district: p.district } : {}),
          ...(p.from ? { from: p.from } : {}),
          ...(p.until ? { until: p.until } : {}),
          ...(p.reference ? { reference: p.reference } : {}),
          ...(p.needsHuman ? { needsHuman: true } : {}),
          page: result.page,
          // All it found on every page, not the page's rows.
          found: result.total,
        });
        return reply.page('conversations', {
          title: t('dashboard.conversations.title'),
          params: p,
          channels: channels.map((id) => ({ id, label: wordsFor(t, 'dashboard.cases.channel.', id) })),
          districts,
          ...listWords(t, p, result),
          pageOf: t('dashboard.conversations.page_of', {
            page: String(result.page),
            pages: String(result.pages),
          }),
          rows: await Promise.all(
            result.hits.map(async (h) => ({
              key: h.key,
              place: await where(h, t),
              href: `/dashboard/conversations/${encodeURIComponent(h.key)}`,
              channel: wordsFor(t, 'dashboard.cases.channel.', h.channel),
              needsHuman: h.needsHuman,
              last: h.lastMessageAt,
              snippet: h.snippet ? snippetParts(h.snippet.text, result.words) : [],
              matches: h.matches,
            })),
          ),
          previous: result.page > 1 ? pageHref(p, result.page - 1) : null,
          next: result.more ? pageHref(p, result.page + 1) : null,
        });
      });

      scope.get('/conversations/:key', async (request, reply) => {
        const account = staffOf(request);
        const key = (request.params as { key: string }).key;
        const record = key.length <= 200 ? await chatLogs.open(account.role, key) : null;
        if (!record) return reply.notFoundPage();
        await request.auditConversation('conversation.view', key, {
          lines: record.lines.length,
        });
        const t: Translate = translator(texts, request.dashboardLang);
        const base = `/dashboard/conversations/${encodeURIComponent(key)}`;
        const names = await authorNames();
        return reply.page('conversation', {
          title: t('dashboard.conversation.title', { key }),
          record,
          place: await where(record, t),
          // An operator who takes the resident over writes in it.
          language: languageWords(record.bot, t),
          // The stored mode and step help support find a fault; to others they are noise.
          showRaw: account.role === 'admin',
          channel: wordsFor(t, 'dashboard.cases.channel.', record.channel),
          exports: { text: `${base}/export.txt`, pdf: `${base}/export.pdf` },
          audit: request.conversationAuditHref(key),
          lines: record.lines.map((l) => ({
            at: l.at,
            who: lineAuthor(record, l, t, names),
            side: l.side,
            text: l.text,
            media: l.hasMedia === true,
            delivery: deliveryText(l.delivery, t),
          })),
          cases: record.cases.map((c) => ({
            reference: c.reference,
            href: `/dashboard/cases/${encodeURIComponent(c.reference)}`,
            topic: topicName(c.topic, request.dashboardLang),
            status: wordsFor(t, 'dashboard.cases.status.', c.status),
            createdAt: c.createdAt,
          })),
          bookings: record.bookings.map((b) => ({
            reference: b.reference,
            alderman: aldermanName(b.aldermanId),
            kind: wordsFor(t, 'dashboard.agenda.kind.', b.kind),
            status: wordsFor(t, 'dashboard.conversation.booking_status.', b.status),
            slotStart: b.slotStart,
            transcript: b.transcript.map((line) => ({
              at: new Date(line.at),
              who: liveLineAuthor(line, t),
              text: liveLineText(line, t),
            })),
          })),
        });
      });

      // One transcript for a case file, as text or PDF; within the same scope, and audited.
      scope.get('/conversations/:key/export.:format', async (request, reply) => {
        const account = staffOf(request);
        const { key, format } = request.params as { key: string; format: string };
        if (format !== 'txt' && format !== 'pdf') return reply.notFoundPage();
        const record = key.length <= 200 ? await chatLogs.open(account.role, key) : null;
        if (!record) return reply.notFoundPage();
        await request.auditConversation('conversation.export', key, {
          format,
          lines: record.lines.length,
        });
        const t: Translate = translator(texts, request.dashboardLang);
        const title = t('dashboard.conversation.title', { key });
        const lines = transcriptLines(
          record,
          t,
          (at) => dashboardDateTime(at, request.dashboardLang),
          await authorNames(),
          {
            // In words, as on the page: "WhatsApp", not the stored "whatsapp".
            channel: wordsFor(t, 'dashboard.cases.channel.', record.channel),
            language: languageWords(record.bot, t),
            place: await where(record, t),
          },
        );
        const file = `gesprek-${key.replace(/[^A-Za-z0-9_-]+/g, '-')}.${format}`;
        void reply.header('Content-Disposition', `attachment; filename="${file}"`);
        if (format === 'txt')
          return reply.type('text/plain; charset=utf-8').send(`${title}\n\n${lines.join('\n')}\n`);
        return reply.type('application/pdf').send(textPdf({ title, lines }));
      });
    },
  };
}
