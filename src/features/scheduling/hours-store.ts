import type {
  CancelledDate,
  ExtraSession,
  HoursConfig,
  RecurringSession,
} from '../../municipality/hours-schema.js';
import type { Municipality } from '../../municipality/municipality.js';
import type { HoursEntryKind, StoredHoursEntry } from '../../ports/hours-repository.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { schedulingContext, type SchedulingContext } from './booking-service.js';

/** Where an entry of the hours comes from: data/hours.json, the file's entry changed, or added in the dashboard. */
export type HoursSource = 'file' | 'edited' | 'added';

/** The id a cancelled date is stored under. */
export function cancelledId(c: Pick<CancelledDate, 'sessionId' | 'date'>): string {
  return `${c.sessionId}@${c.date}`;
}

/** One list of the hours (recurring, extra or cancelled) with the stored changes on top. */
function mergeList<T>(
  file: readonly T[],
  stored: readonly StoredHoursEntry[],
  kind: HoursEntryKind,
  idOf: (item: T) => string,
  fromEntry: (e: StoredHoursEntry) => T | undefined,
): { item: T; source: HoursSource }[] {
  const mine = stored.filter((s) => s.kind === kind);
  const byId = new Map(mine.map((s) => [s.id, s]));
  const out: { item: T; source: HoursSource }[] = [];
  for (const item of file) {
    const s = byId.get(idOf(item));
    if (!s) out.push({ item, source: 'file' });
    else if (!s.deleted) {
      const changed = fromEntry(s);
      if (changed) out.push({ item: changed, source: 'edited' });
    }
  }
  const fileIds = new Set(file.map(idOf));
  for (const s of mine) {
    if (fileIds.has(s.id) || s.deleted) continue;
    const added = fromEntry(s);
    if (added) out.push({ item: added, source: 'added' });
  }
  return out;
}

/** Every entry of the hours with where it comes from (the dashboard's hours page lists them). */
export function mergedEntries(file: HoursConfig, stored: readonly StoredHoursEntry[]) {
  return {
    sessions: mergeList<RecurringSession>(
      file.sessions,
      stored,
      'recurring',
      (s) => s.id,
      (e) => (e.entry?.kind === 'recurring' ? e.entry.session : undefined),
    ),
    extra: mergeList<ExtraSession>(
      file.exceptions.extra,
      stored,
      'extra',
      (s) => s.id,
      (e) => (e.entry?.kind === 'extra' ? e.entry.session : undefined),
    ),
    cancelled: mergeList<CancelledDate>(file.exceptions.cancelled, stored, 'cancelled', cancelledId, (e) =>
      e.entry?.kind === 'cancelled' ? e.entry.cancelled : undefined,
    ),
  };
}

/**
 * The hours the slot maths uses: data/hours.json with the dashboard's changes on top (an entry with
 * the same id replaces the file's or, deleted, hides it; others are added). Rules stay the file's.
 */
export function mergeHours(file: HoursConfig, stored: readonly StoredHoursEntry[]): HoursConfig {
  if (stored.length === 0) return file;
  const merged = mergedEntries(file, stored);
  return {
    ...file,
    sessions: merged.sessions.map((x) => x.item),
    exceptions: {
      ...file.exceptions,
      extra: merged.extra.map((x) => x.item),
      cancelled: merged.cancelled.map((x) => x.item),
    },
  };
}

/** The scheduling context with the hours as they are now: the file's and the dashboard's changes. */
export async function loadSchedulingContext(
  repos: Pick<Repositories, 'hours'>,
  m: Municipality,
  now: Date,
): Promise<SchedulingContext> {
  const ctx = schedulingContext(m, now);
  return { ...ctx, hours: mergeHours(ctx.hours, await repos.hours.all()) };
}
