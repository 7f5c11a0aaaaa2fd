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
 * What a tick sends: every entry of the transcript above `seen` (where the page was at the tick's
 * start), in transcript order, and where the page is after them (the newest ids of each side).
 *
 * The ids of one side are not always in transcript order (an outbox id is given at write, and a
 * later write may sort before an earlier one), so `seen` moves only once the tick is done, and a
 * line's id is never past an entry that still comes in this tick: after each line, a side's point is
 * the newest id sent so far, held below the lowest one still to come. A browser that drops mid-tick
 * and comes back with it misses nothing; where ids came out of order it may get a line it had
 * again, which the page's script shows once (the line's `key`). The last line's id is the tick's end.
 */
export function freshEntries(
  transcript: readonly TranscriptEntry[],
  seen: Seen,
): { fresh: FreshEntry[]; seen: Seen } {
  const entries = transcript.filter((e) => e.id > seen[e.side]);
  // The lowest id of each side still to come after each entry.
  const ahead: Seen[] = [];
  const lowest = { in: Infinity, out: Infinity };
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    ahead[i] = { ...lowest };
    const e = entries[i]!;
    lowest[e.side] = Math.min(lowest[e.side], e.id);
  }
  const sent = { ...seen };
  const fresh = entries.map((entry, i) => {
    sent[entry.side] = Math.max(sent[entry.side], entry.id);
    const next = ahead[i]!;
    const at = (side: 'in' | 'out') => Math.min(sent[side], next[side] - 1);
    return { entry, id: `${at('in')}.${at('out')}` };
  });
  return { fresh, seen: sent };
}
