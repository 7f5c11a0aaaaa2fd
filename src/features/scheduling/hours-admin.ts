import {
  parseHours,
  type CancelledDate,
  type ExtraSession,
  type HoursConfig,
  type RecurringSession,
} from '../../municipality/hours-schema.js';
import type { Booking } from '../../ports/booking-repository.js';
import type { FeatureDeps } from '../../ports/feature.js';
import type { HoursEntry, StoredHoursEntry } from '../../ports/hours-repository.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { hoursEntrySubject } from '../../shared/audit-subjects.js';
import { ConfigError } from '../../shared/errors.js';
import { localDateOf } from '../../shared/local-date.js';
import { schedulingContext } from './booking-service.js';
import type { CancellationCommands } from './cancellations.js';
import { cancelledId, mergedEntries, mergeHours } from './hours-store.js';
import { findSlot } from './slots.js';

/** A change to the hours: put (add or replace) an entry, or delete the one with this kind and id. */
export type HoursChange = { put: HoursEntry } | { delete: { kind: HoursEntry['kind']; id: string } };

/** What to do with held bookings that the new hours no longer have a slot for. */
export type OutsideBookings = 'keep' | 'cancel';

/** A cancelled date that went with its deleted session; `upcoming` when it is today or later. */
export interface RemovedDate {
  date: string;
  upcoming: boolean;
}

export type HoursChangeResult =
  | { ok: true; cancelled: number; removedDates: RemovedDate[] }
  /** The change is not valid hours: the same check as data/hours.json at start-up. */
  | { ok: false; error: string }
  /** Held bookings fall outside the new hours: ask whether to keep them or cancel them (residents told). */
  | { ok: false; outside: Booking[] };

type Repos = Pick<Repositories, 'hours' | 'bookings' | 'audit'>;

function idOf(entry: HoursEntry): string {
  return entry.kind === 'cancelled' ? cancelledId(entry.cancelled) : entry.session.id;
}

function aldermanOfEntry(entry: HoursEntry, hours: HoursConfig): string {
  if (entry.kind !== 'cancelled') return entry.session.aldermanId;
  const id = entry.cancelled.sessionId;
  const session = [...hours.sessions, ...hours.exceptions.extra].find((s) => s.id === id);
  return session?.aldermanId ?? '';
}

/** The entry with this kind and id in the merged hours, or null. */
function entryIn(hours: HoursConfig, kind: HoursEntry['kind'], id: string): HoursEntry | null {
  if (kind === 'recurring') {
    const session = hours.sessions.find((s) => s.id === id);
    return session ? { kind, session } : null;
  }
  if (kind === 'extra') {
    const session = hours.exceptions.extra.find((s) => s.id === id);
    return session ? { kind, session } : null;
  }
  const cancelled = hours.exceptions.cancelled.find((c) => cancelledId(c) === id);
  return cancelled ? { kind, cancelled } : null;
}

/**
 * The cancelled dates that go with a deleted session, as deleted rows: without its session such a
 * date is no valid entry (the file check refuses it), and the session no longer runs on any date.
 */
function datesOfDeleted(
  before: HoursConfig,
  change: HoursChange,
  row: Omit<StoredHoursEntry, 'kind' | 'id' | 'entry'>,
): { rows: StoredHoursEntry[]; dates: CancelledDate[] } {
  if (!('delete' in change) || change.delete.kind === 'cancelled') return { rows: [], dates: [] };
  const id = change.delete.id;
  const dates = before.exceptions.cancelled.filter((c) => c.sessionId === id);
  const rows = dates.map((c) => ({
    ...row,
    kind: 'cancelled' as const,
    id: cancelledId(c),
    entry: null,
    deleted: true,
  }));
  return { rows, dates };
}

/**
 * Admins and operators manage every alderman's recurring hours and exceptions (an alderman adds
 * extra sessions of their own): data/hours.json is the starting point, each change is stored in
 * the database over it (same id replaces, delete hides), checked as the file is checked at start,
 * and audited with before and after. A change that leaves held bookings without a slot is not
 * made until staff say whether to keep those bookings or cancel them (the residents are told).
 */
export function hoursAdminCommands(
  deps: FeatureDeps,
  cancellations: Pick<CancellationCommands, 'cancelBookings'>,
) {
  const m = deps.municipality;
  const file = m.hours;
  const aldermanIds = m.aldermen.map((a) => a.id);

  /** Held bookings (from now on) of one alderman that have no slot in `hours`. */
  async function outsideOf(r: Repos, hours: HoursConfig, aldermanId: string): Promise<Booking[]> {
    const now = deps.clock.now();
    const ctx = schedulingContext(m, now);
    const held = await r.bookings.listByStart({
      from: now,
      until: new Date(now.getTime() + 2 * 366 * 24 * 60 * 60_000),
      aldermanId,
      statuses: ['active'],
    });
    const days = await r.bookings.cancelledDays({
      fromDate: localDateOf(now, m.timeZone),
      untilDate: '9999-12-31',
      aldermanId,
    });
    const calledOff = new Set(days.map((d) => d.date));
    // A day the alderman called off at run time keeps its (cancelled) bookings as they are.
    return held.filter(
      (b) =>
        !calledOff.has(localDateOf(b.slotStart, m.timeZone)) &&
        !findSlot(hours, { aldermanId, start: b.slotStart, timeZone: m.timeZone, holidays: ctx.holidays }),
    );
  }

  return {
    /** Every entry of the hours (of one alderman if given) with where it comes from. */
    list: async (aldermanId?: string) => {
      const merged = mergedEntries(file, await deps.uow.run((r) => r.hours.all()));
      const mine = <T extends { aldermanId: string }>(x: { item: T }) =>
        aldermanId === undefined || x.item.aldermanId === aldermanId;
      const sessionOwner = new Map(
        [...merged.sessions, ...merged.extra].map((x) => [x.item.id, x.item.aldermanId] as const),
      );
      return {
        sessions: merged.sessions.filter(mine),
        extra: merged.extra.filter(mine),
        cancelled: merged.cancelled.filter(
          (x) => aldermanId === undefined || sessionOwner.get(x.item.sessionId) === aldermanId,
        ),
      };
    },

    /**
     * Makes one change as `actor` (`staff:<id>`): refused with the file check's message when the
     * result is not valid hours; with `outside` when held bookings lose their slot and `decide` is
     * not given. With `decide: 'cancel'` those bookings are cancelled and their residents told.
     */
    change: async (
      actor: string,
      change: HoursChange,
      decide?: OutsideBookings,
    ): Promise<HoursChangeResult> => {
      const now = deps.clock.now();
      const outcome = await deps.uow.transaction(
        async (r): Promise<HoursChangeResult & { cancel?: Booking[] }> => {
          const stored = await r.hours.all();
          const before = mergeHours(file, stored);
          const kind = 'put' in change ? change.put.kind : change.delete.kind;
          const id = 'put' in change ? idOf(change.put) : change.delete.id;
          const previous = entryIn(before, kind, id);
          if ('delete' in change && !previous) return { ok: false, error: `no ${kind} "${id}"` };
          const row: StoredHoursEntry = {
            kind,
            id,
            aldermanId:
              'put' in change ? aldermanOfEntry(change.put, before) : aldermanOfEntry(previous!, before),
            entry: 'put' in change ? change.put : null,
            deleted: 'delete' in change,
            updatedAt: now,
            updatedBy: actor,
          };
          const withIt = datesOfDeleted(before, change, row);
          const replaced = new Set([row, ...withIt.rows].map((x) => `${x.kind}:${x.id}`));
          const after = mergeHours(file, [
            ...stored.filter((s) => !replaced.has(`${s.kind}:${s.id}`)),
            row,
            ...withIt.rows,
          ]);
          try {
            parseHours(after, aldermanIds, 'hours');
          } catch (error) {
            if (error instanceof ConfigError)
              return { ok: false, error: error.message.replace(/^Data error: /, '') };
            throw error;
          }
          // Only bookings this change takes the slot from: one that had none before is not asked about again.
          const already = new Set((await outsideOf(r, before, row.aldermanId)).map((b) => b.id));
          const outside = (await outsideOf(r, after, row.aldermanId)).filter((b) => !already.has(b.id));
          if (outside.length > 0 && decide === undefined) return { ok: false, outside };
          await r.hours.save(row);
          for (const [i, dateRow] of withIt.rows.entries()) {
            await r.hours.save(dateRow);
            await r.audit.append(
              {
                actor,
                action: 'hours.delete',
                subject: hoursEntrySubject('cancelled', dateRow.id),
                detail: {
                  alderman: row.aldermanId,
                  before: { kind: 'cancelled', cancelled: withIt.dates[i] },
                  after: null,
                  withSession: id,
                },
              },
              now,
            );
          }
          await r.audit.append(
            {
              actor,
              action: `hours.${'put' in change ? (previous ? 'edit' : 'add') : 'delete'}`,
              subject: hoursEntrySubject(kind, id),
              detail: {
                alderman: row.aldermanId,
                before: previous,
                after: row.entry,
                outsideBookings: outside.map((b) => b.reference),
                ...(outside.length > 0 ? { decided: decide } : {}),
              },
            },
            now,
          );
          const today = localDateOf(now, m.timeZone);
          const removedDates = withIt.dates.map((c) => ({ date: c.date, upcoming: c.date >= today }));
          return {
            ok: true,
            cancelled: 0,
            removedDates,
            ...(decide === 'cancel' ? { cancel: outside } : {}),
          };
        },
      );
      if (!outcome.ok) return outcome;
      const { removedDates } = outcome;
      if (!outcome.cancel?.length) return { ok: true, cancelled: 0, removedDates };
      await cancellations.cancelBookings({
        bookingIds: outcome.cancel.map((b) => b.id),
        actor,
      });
      return { ok: true, cancelled: outcome.cancel.length, removedDates };
    },
  };
}

export type HoursAdminCommands = ReturnType<typeof hoursAdminCommands>;
export type { CancelledDate, ExtraSession, RecurringSession };
