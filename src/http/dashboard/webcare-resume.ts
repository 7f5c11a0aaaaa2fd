import type { FastifyRequest } from 'fastify';
import type { TranscriptEntry } from '../../ports/conversation-repository.js';
import { resumedFrom } from './live-events.js';

/** Where a takeover page is: the newest inbound and outbox ids it shows. */
export interface Seen {
  in: number;
  out: number;
}

/** The newest inbound and outbox ids of a transcript: a live page shows what comes after them. */
export function lastIds(transcript: readonly TranscriptEntry[]): Seen {
  const last = (side: 'in' | 'out') =>
    Math.max(0, ...transcript.filter((e) => e.side === side).map((e) => e.id));
  return { in: last('in'), out: last('out') };
}

/**
 * The newest inbound and outbox ids a takeover page's stream starts after: a reconnecting browser
 * says them in `Last-Event-ID` (`<in>.<out>`, the id of the last line it got); a new stream takes
 * them from its URL (`in`, `out`), as the page was built.
 */
export function resumePoint(request: FastifyRequest): Seen {
  const resumed = resumedFrom(request, /^(\d{1,15})\.(\d{1,15})$/);
  const query = request.query as Record<string, unknown>;
  const [seenIn, seenOut] = resumed ? [resumed[1], resumed[2]] : [query.in, query.out];
  return { in: Number(seenIn) || 0, out: Number(seenOut) || 0 };
}

/** A transcript entry the page does not have yet, and the id (`<in>.<out>`) its line carries. */
export interface FreshEntry {
  entry: TranscriptEntry;
  id: string;
}

/**
 * Where a takeover stream is: the point it started after (what the page had), the newest ids it has
 * sent of each side, and the keys of the lines it sent since it started.
 */
export interface StreamPosition {
  start: Seen;
  seen: Seen;
  sent: ReadonlySet<string>;
}

/** A stream that starts after `seen` (the page's ids, or the id a reconnecting browser gave). */
export function startPosition(seen: Seen): StreamPosition {
  return { start: seen, seen, sent: new Set() };
}

/** A line's key: the page's script shows a key once. */
export const entryKey = (entry: TranscriptEntry): string => `${entry.side}${entry.id}`;

/**
 * What a tick sends: every entry of the transcript after the stream's start that it has not sent
 * yet, in transcript order, and where the stream is after them.
 *
 * The ids of one side are neither in transcript order nor in commit order: an id is given at write,
 * and on PostgreSQL a transaction that took a lower id may commit after one that took a higher id
 * was already sent (an operator's reply and a bot turn at the same moment). So what was sent is kept
 * by key, not as a highest id: an entry that commits late is sent in a later tick. The keys kept are
 * only those still in the transcript (it holds the newest entries; an older one cannot come again).
 *
 * A line's id is where a reconnecting browser resumes: after each line, a side's point is the newest
 * id sent so far, held below the lowest one still to come in the tick, so a browser that drops
 * mid-tick misses nothing; where ids came out of order it may get a line it had again, which the
 * page's script shows once (the line's `key`). The last line's id is the tick's end. A browser that
 * is away while an entry below its point commits late does not get that entry: its id says no more
 * than a point.
 */
export function freshEntries(
  transcript: readonly TranscriptEntry[],
  position: StreamPosition,
): { fresh: FreshEntry[]; position: StreamPosition } {
  const entries = transcript.filter((e) => e.id > position.start[e.side] && !position.sent.has(entryKey(e)));
  // The lowest id of each side still to come after each entry.
  const ahead: Seen[] = [];
  const lowest = { in: Infinity, out: Infinity };
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    ahead[i] = { ...lowest };
    const e = entries[i]!;
    lowest[e.side] = Math.min(lowest[e.side], e.id);
  }
  const seen = { ...position.seen };
  const fresh = entries.map((entry, i) => {
    seen[entry.side] = Math.max(seen[entry.side], entry.id);
    const next = ahead[i]!;
    const at = (side: 'in' | 'out') => Math.min(seen[side], next[side] - 1);
    return { entry, id: `${at('in')}.${at('out')}` };
  });
  const now = new Set(entries.map(entryKey));
  const sent = new Set(transcript.map(entryKey).filter((key) => position.sent.has(key) || now.has(key)));
  return { fresh, position: { start: position.start, seen, sent } };
}
