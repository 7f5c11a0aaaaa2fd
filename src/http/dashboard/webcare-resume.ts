import type { TranscriptEntry } from '../../ports/conversation-repository.js';

/** A line's key: the page shows each key once (`data-key` on a line, built with the page or streamed). */
export const entryKey = (entry: TranscriptEntry): string => `${entry.side}${entry.id}`;

/**
 * A transcript entry the page may not have yet, and the key of the entry before it in the
 * transcript ('' for the first): the page puts the line right after that one, where a reload has it.
 */
export interface FreshEntry {
  entry: TranscriptEntry;
  after: string;
}

/**
 * What a tick of a takeover stream sends: every entry of the transcript it has not sent yet, in
 * transcript order, and the keys it has sent after the tick (only those still in the transcript:
 * it holds the newest entries, and an older one does not come back, so the set stays bounded).
 *
 * A stream's first tick (`sent` empty) sends the whole transcript the page shows. Neither the ids
 * a page was built with nor a reconnecting browser's `Last-Event-ID` can say what it missed: the ids
 * of one side are neither in transcript order (a later write may sort earlier) nor in commit order
 * (on PostgreSQL a transaction that took a lower id may commit after a higher one was sent or
 * rendered), so an entry that commits late can sit below any point. The page has every line's key
 * and shows a key once, so what it had costs only bytes; each later tick sends what committed since,
 * also below what was sent before.
 */
export function freshEntries(
  transcript: readonly TranscriptEntry[],
  sent: ReadonlySet<string>,
): { fresh: FreshEntry[]; sent: ReadonlySet<string> } {
  const keys = transcript.map(entryKey);
  const fresh = transcript.flatMap((entry, i) =>
    sent.has(keys[i]!) ? [] : [{ entry, after: i === 0 ? '' : keys[i - 1]! }],
  );
  return { fresh, sent: new Set(keys) };
}
