import type { ConversationLine, ConversationRecord } from '../../ports/conversation-search.js';
import type { Translate } from '../../i18n/translator.js';
import type { TranscriptLine } from '../../ports/booking-repository.js';
import type { PlaceWords } from './conversation-place.js';
import { CONVERSATION_AUTHORS, outAuthor, type AuthorNames } from './out-author.js';

const DELIVERY = new Set(['pending', 'sent', 'delivered', 'read', 'unconfirmed', 'failed']);

/** Who wrote a live session's line: resident or alderman, and whether the alderman wrote from the dashboard. */
export function liveLineAuthor(line: TranscriptLine, t: Translate): string {
  const who = t(`dashboard.conversation.from.${line.from}` as Parameters<Translate>[0]);
  return line.via === 'dashboard' ? `${who} ${t('dashboard.conversation.via_dashboard')}` : who;
}

/** What a live session's line says: its text, or for a mark (the resident left) what happened. */
export function liveLineText(line: TranscriptLine, t: Translate): string {
  return line.event === 'resident-left' ? t('dashboard.live.line.left') : line.text;
}

/**
 * Who wrote a transcript line, as the conversation page and the export name them: the resident (or
 * the alderman, in their own chat); an outgoing line's author as `outAuthor` says.
 */
export function lineAuthor(
  record: Pick<ConversationRecord, 'aldermanId'>,
  line: Pick<ConversationLine, 'side' | 'author'>,
  t: Translate,
  names: AuthorNames,
): string {
  if (line.side === 'out') return outAuthor(line.author, t, CONVERSATION_AUTHORS, names);
  return t(
    record.aldermanId !== null
      ? 'dashboard.conversation.from.alderman'
      : 'dashboard.conversation.from.resident',
  );
}

/** A line's delivery state as words ('' when the channel told nothing). */
export function deliveryText(delivery: string | undefined, t: Translate): string {
  return delivery && DELIVERY.has(delivery)
    ? t(`dashboard.conversation.delivery.${delivery}` as Parameters<Translate>[0])
    : '';
}

/**
 * One conversation as plain lines for a case file (the text and the PDF export): its facts, every
 * message in order with time, author (operators and aldermen by the names `names` gives) and
 * delivery, the cases and bookings that came out of it, and the live sessions' transcripts. `facts` are the words the page shows: the channel ("WhatsApp"),
 * the language and where the chatbot is (`placeWords`). Numbers in messages come masked (as on the
 * page), which it says.
 */
export function transcriptLines(
  record: ConversationRecord & { masked?: number },
  t: Translate,
  when: (at: Date) => string,
  names: AuthorNames,
  facts: { channel: string; language: string | null; place: PlaceWords | null },
): string[] {
  const { place, language } = facts;
  const out = [
    `${t('dashboard.conversation.channel')}: ${facts.channel}`,
    ...(language ? [`${t('dashboard.conversation.language')}: ${language}`] : []),
    `${t('dashboard.conversation.started')}: ${when(record.createdAt)}`,
    `${t('dashboard.conversation.updated')}: ${when(record.updatedAt)}`,
    ...(place ? [`${t('dashboard.conversation.state')}: ${place.mode}`] : []),
    ...(place?.at ? [`${t('dashboard.conversation.place')}: ${place.at}`] : []),
    ...(place?.step ? [`${t('dashboard.conversation.step')}: ${place.step}`] : []),
    '',
    `${t('dashboard.conversation.transcript')}:`,
    ...(record.masked ? [t('dashboard.conversation.masked'), ''] : []),
  ];
  if (record.lines.length === 0) out.push(t('dashboard.conversation.no_messages'));
  for (const l of record.lines) {
    const delivery = deliveryText(l.delivery, t);
    const media = l.hasMedia ? ` ${t('dashboard.conversation.media')}` : '';
    out.push(`[${when(l.at)}] ${lineAuthor(record, l, t, names)}${delivery ? ` (${delivery})` : ''}:`);
    out.push(`${l.text}${media}`, '');
  }
  out.push(`${t('dashboard.conversation.cases')}:`);
  if (record.cases.length === 0) out.push(t('dashboard.conversation.no_cases'));
  for (const c of record.cases) out.push(`${c.reference}: ${c.topic} (${c.status}), ${when(c.createdAt)}`);
  out.push('', `${t('dashboard.conversation.bookings')}:`);
  if (record.bookings.length === 0) out.push(t('dashboard.conversation.no_bookings'));
  for (const b of record.bookings) {
    const line = t('dashboard.conversation.booking_line', {
      reference: b.reference,
      kind: b.kind,
      when: when(b.slotStart),
      status: b.status,
    });
    out.push(`${line} — ${names.alderman(b.aldermanId)}`);
  }
  for (const b of record.bookings) {
    if (b.transcript.length === 0) continue;
    out.push('', `${t('dashboard.conversation.live', { reference: b.reference })}:`);
    for (const line of b.transcript)
      out.push(`[${when(new Date(line.at))}] ${liveLineAuthor(line, t)}: ${liveLineText(line, t)}`);
  }
  return out;
}
