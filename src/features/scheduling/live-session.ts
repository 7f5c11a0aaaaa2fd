import { randomUUID } from 'node:crypto';
import type { FeatureDeps } from '../../ports/feature.js';
import type { EventsNotifier } from '../../ports/notifier.js';
import type { Booking, TranscriptLine } from '../../ports/booking-repository.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { addressOfKey, DASHBOARD_CHANNEL, type Address } from '../../shared/address.js';
import { bookingSubject } from '../../shared/audit-subjects.js';
import { DomainError } from '../../shared/errors.js';
import { appendTranscript, complete } from './booking-records.js';
import { sessionEndEventId, type SchedulingEvents } from './events.js';
import { bookingView } from './views.js';

/** The longest line an alderman may send from the dashboard (as long as a resident may write). */
export const MAX_LIVE_LINE = 2000;
/** How long after its slot a session still shows as the alderman's current one (as a live link lasts). */
const SHOWN_AFTER_END_MS = 10 * 60_000;
const LOOK_AHEAD_MS = 8 * 7 * 24 * 60 * 60_000;

/** Where a live session is: not begun yet, open for writing, or over. */
export type LiveSessionState = 'upcoming' | 'open' | 'ended';

/** Who looks at a session: an alderman sees and runs only their own; operators and admins see every one. */
export interface LiveViewer {
  /** `staff:<account id>` for the audit log. */
  actor: string;
  /** The alderman the account is, or null for operators and admins. */
  aldermanId: string | null;
}

/** A live session as the dashboard shows it. */
export interface LiveSession {
  booking: Booking;
  state: LiveSessionState;
  /** Only the session's own alderman writes and ends it. */
  mayRun: boolean;
}

/** The alderman's side of a session: the chat they linked most recently (a new phone replaces an old one), else the dashboard. */
export async function aldermanSide(repos: Pick<Repositories, 'staff'>, aldermanId: string): Promise<Address> {
  const identities = await repos.staff.identitiesOf(aldermanId);
  return identities.at(-1) ?? { channel: DASHBOARD_CHANNEL, userId: aldermanId };
}

/**
 * Tells both sides that a session is over (the end timer and an end from the dashboard alike): the
 * resident is asked for a rating, the alderman's chat leaves the session. One event id per booking,
 * shared with the chat's own `einde`, so each side hears it once whoever ended it (the notice that
 * the resident left has its own: see `residentLeftEventId`).
 */
export async function tellSessionEnded(
  deps: Pick<FeatureDeps, 'uow' | 'notifier' | 'publicUrl'>,
  booking: Booking,
): Promise<void> {
  const notifier: EventsNotifier<SchedulingEvents> = deps.notifier;
  const view = bookingView(booking, deps.publicUrl);
  const endId = sessionEndEventId(booking.id);
  await notifier.notify(
    addressOfKey(booking.residentKey),
    'live.end',
    { booking: view, role: 'resident' },
    endId,
  );
  const alderman = await deps.uow.run((r) => aldermanSide(r, booking.aldermanId));
  if (alderman.channel !== DASHBOARD_CHANNEL)
    await notifier.notify(alderman, 'live.end', { booking: view, role: 'alderman' }, endId);
}

/** Whether the resident left the session (with "menu" or "stop" in their chat): the transcript's mark. */
export function residentLeft(lines: readonly TranscriptLine[]): boolean {
  return lines.some((line) => line.event === 'resident-left');
}

function stateOf(b: Booking, now: Date): LiveSessionState {
  if (b.status !== 'active') return 'ended';
  return now < b.slotStart ? 'upcoming' : 'open';
}

/**
 * The live session of a chat booking from the dashboard: the alderman sees the resident's lines as
 * they come (the booking's transcript, which the resident's chat writes), writes back and ends it.
 * A line from here is stored like one from the alderman's chat (marked `via: 'dashboard'`) and said
 * to the resident as the chat relay would; the end is the end timer's.
 */
export function liveSessionCommands(deps: Pick<FeatureDeps, 'uow' | 'clock' | 'notifier' | 'publicUrl'>) {
  const { uow, clock } = deps;
  const notifier: EventsNotifier<SchedulingEvents> = deps.notifier;

  /** The booking if the viewer may see it (a chat session); otherwise not found. */
  const visible = async (r: Repositories, viewer: LiveViewer, bookingId: string): Promise<Booking> => {
    const b = await r.bookings.findById(bookingId);
    if (!b || b.kind !== 'chat' || (viewer.aldermanId !== null && b.aldermanId !== viewer.aldermanId))
      throw new DomainError('booking.not-found');
    return b;
  };
  /** The booking if the viewer is its alderman; otherwise not found (also for operators: they only look). */
  const own = async (r: Repositories, viewer: LiveViewer, bookingId: string): Promise<Booking> => {
    const b = await visible(r, viewer, bookingId);
    if (viewer.aldermanId === null) throw new DomainError('booking.not-found');
    return b;
  };

  return {
    /** Chat sessions going on or coming, soonest first: the viewer's own, or everyone's for operators. */
    async sessions(viewer: LiveViewer, limit = 20): Promise<LiveSession[]> {
      const now = clock.now();
      const list = await uow.run((r) =>
        r.bookings.listByStart({
          from: new Date(now.getTime() - 2 * 60 * 60_000),
          until: new Date(now.getTime() + LOOK_AHEAD_MS),
          ...(viewer.aldermanId !== null ? { aldermanId: viewer.aldermanId } : {}),
          statuses: ['active'],
        }),
      );
      return list
        .filter((b) => b.kind === 'chat' && b.slotEnd.getTime() + SHOWN_AFTER_END_MS > now.getTime())
        .slice(0, limit)
        .map((booking) => ({ booking, state: stateOf(booking, now), mayRun: viewer.aldermanId !== null }));
    },

    /** One session; `booking.not-found` for a booking that is not the viewer's (the page answers 404). */
    async session(viewer: LiveViewer, bookingId: string): Promise<LiveSession> {
      const booking = await uow.run((r) => visible(r, viewer, bookingId));
      return { booking, state: stateOf(booking, clock.now()), mayRun: viewer.aldermanId !== null };
    },

    /** The alderman writes to the resident from the dashboard, while the session is open. */
    async write(viewer: LiveViewer, bookingId: string, text: string): Promise<void> {
      const words = text.trim();
      if (!words) throw new DomainError('live.empty');
      if (words.length > MAX_LIVE_LINE) throw new DomainError('live.too_long');
      const now = clock.now();
      const booking = await uow.transaction(async (r) => {
        const b = await own(r, viewer, bookingId);
        const state = stateOf(b, now);
        if (state !== 'open') throw new DomainError(`live.${state}`);
        await appendTranscript(r, b.id, { from: 'alderman', text: words, via: 'dashboard' }, now);
        await r.audit.append(
          {
            actor: viewer.actor,
            action: 'live.write',
            subject: bookingSubject(b.reference),
            detail: { length: words.length },
          },
          now,
        );
        return b;
      });
      await notifier.notify(
        addressOfKey(booking.residentKey),
        'live.say',
        {
          bookingId: booking.id,
          text: words,
          aldermanId: booking.aldermanId,
          // Said with who wrote it only when the page said the resident left: page and chat agree,
          // also when the resident's chat has not yet heard that the session began.
          ...(residentLeft(booking.transcript)
            ? { left: { reference: booking.reference, aldermanId: booking.aldermanId } }
            : {}),
        },
        `live-say:${randomUUID()}`,
      );
    },

    /** The alderman ends the session from the dashboard: stored as completed, both sides told. */
    async end(viewer: LiveViewer, bookingId: string): Promise<void> {
      const now = clock.now();
      const ended = await uow.transaction(async (r) => {
        const b = await own(r, viewer, bookingId);
        const result = await complete(r, b.id, now);
        if (!result.ok)
          throw new DomainError(`live.${result.reason === 'not-started' ? 'upcoming' : 'ended'}`);
        await r.audit.append(
          { actor: viewer.actor, action: 'live.end', subject: bookingSubject(b.reference) },
          now,
        );
        return result.booking;
      });
      await tellSessionEnded(deps, ended);
    },
  };
}

/** The live-session commands, as the dashboard uses them. */
export type LiveSessionCommands = ReturnType<typeof liveSessionCommands>;
