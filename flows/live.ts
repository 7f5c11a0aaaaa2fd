import type { EventHandler, Flow, GlobalWord, StepContext, Transition } from '../src/engine/flow.js';
import type { Address } from '../src/engine/messages.js';
import type { BookingView } from '../src/features/scheduling/views.js';
import type { LiveLink } from '../src/engine/state.js';
import { ratingChoices, ratingOf, toMenu } from './common.js';
import { aldermanName, kindText } from './book.js';
import { dateText, timeText } from './format.js';

const bookingOf = (payload: Record<string, unknown>) => payload.booking as BookingView;

/** How long past the slot's end a live link lasts at most when no end notice comes. */
const LIVE_GRACE_MS = 10 * 60_000;

function names(ctx: StepContext, b: BookingView) {
  return { alderman: aldermanName(ctx, b.aldermanId), reference: b.reference, topic: b.topic };
}

/** A reminder a day or an hour before the appointment. */
const reminder: EventHandler = (ctx, payload) => {
  const b = bookingOf(payload);
  const kind = payload.kind === 'day-before' ? 'day-before' : 'hour-before';
  const how = ctx.t(`reminder.how.${b.kind}`, { place: b.place });
  const vars = {
    ...names(ctx, b),
    time: timeText(ctx, b.start),
    kind: kindText(ctx, b.kind),
    place: b.place,
    how,
  };
  return { say: [ctx.t(`reminder.${kind}`, vars)] };
};

/**
 * The slot starts: resident and alderman are connected. From now on what one writes reaches the
 * other (see `relay` in frame.ts) until the end, 'einde', or a no-show. An alderman still in the
 * previous back-to-back session moves on to this one.
 */
const liveStart: EventHandler = (ctx, payload) => {
  const b = bookingOf(payload);
  const partner = payload.partner as Address | null;
  if (!partner) return { say: [ctx.t('live.no_alderman')], flags: { needsHuman: true } };
  const role = payload.role === 'alderman' ? 'alderman' : 'resident';
  const live: LiveLink = {
    bookingId: b.id,
    reference: b.reference,
    partner,
    role,
    until: b.end + LIVE_GRACE_MS,
    ...(b.firstName ? { name: b.firstName } : {}),
  };
  const say =
    role === 'alderman'
      ? [ctx.t('live.start_alderman', names(ctx, b))]
      : [ctx.t('live.start_resident', names(ctx, b))];
  const previous = ctx.state.live;
  if (!previous || previous.bookingId === b.id || role !== 'alderman')
    return { mode: 'live', live, say, leave: true };
  // Back to back: the previous resident's session closes now, not at its end timer.
  say.unshift(ctx.t('live.previous_closed', { reference: previous.reference }));
  const closing = {
    id: previous.bookingId,
    reference: previous.reference,
    aldermanId: ctx.staff?.aldermanId ?? b.aldermanId,
    topic: '',
  };
  return {
    mode: 'live',
    live,
    say,
    leave: true,
    effects: [endNotice(previous.partner, closing, 'resident')],
  };
};

/** A live.end for the other side of a session, once per booking whoever sends it. */
function endNotice(
  to: Address,
  booking: Partial<BookingView> & { id: string },
  role: 'resident' | 'alderman',
) {
  const eventId = `live-end:${booking.id}`;
  return {
    type: 'schedule' as const,
    name: 'conversation.event',
    data: { address: to, name: 'live.end', payload: { booking, role }, eventId },
    jobId: `${eventId}:${role}`,
  };
}

/** Only the session this notice is about ends; a newer one carries on. */
function endsThis(ctx: StepContext, b: BookingView): boolean {
  return ctx.state.mode === 'live' && ctx.state.live?.bookingId === b.id;
}

const liveEnd: EventHandler = (ctx, payload) => {
  const b = bookingOf(payload);
  if (payload.role === 'alderman') {
    return endsThis(ctx, b)
      ? { mode: 'bot', live: null, say: [ctx.t('live.end_alderman', names(ctx, b))] }
      : {};
  }
  const back: Transition = endsThis(ctx, b) ? { mode: 'bot', live: null } : {};
  return {
    ...back,
    say: [ctx.t('live.end_resident', names(ctx, b))],
    data: { bookingId: b.id },
    goto: { flow: 'live-rate', step: 'ask' },
  };
};

const noShow: EventHandler = (ctx, payload) => {
  const b = bookingOf(payload);
  return endsThis(ctx, b)
    ? { mode: 'bot', live: null, say: [ctx.t('live.noshow_alderman', names(ctx, b))] }
    : { say: [ctx.t('live.noshow_alderman', names(ctx, b))] };
};

const missed: EventHandler = (ctx, payload) => {
  const b = bookingOf(payload);
  return toMenu({
    ...(endsThis(ctx, b) ? { mode: 'bot' as const, live: null } : {}),
    say: [ctx.t('live.missed', names(ctx, b))],
  });
};

/** The alderman called the day off: an apology, and new times of the same alderman to choose from. */
const cancelledByAlderman: EventHandler = (ctx, payload) => {
  const b = bookingOf(payload);
  const reason =
    typeof payload.reason === 'string' && payload.reason
      ? ctx.t('live.cancelled_reason', { reason: payload.reason })
      : '';
  const say = ctx.t('live.cancelled', {
    ...names(ctx, b),
    date: dateText(ctx, b.start),
    time: timeText(ctx, b.start),
    reason,
  });
  if (ctx.state.mode !== 'bot') return { say: [say] };
  return {
    say: [say],
    data: { aldermanId: b.aldermanId, topic: b.topic },
    goto: { flow: 'book', step: 'start' },
  };
};

export const liveEvents: Record<string, EventHandler> = {
  'booking.reminder': reminder,
  'booking.cancelled': cancelledByAlderman,
  'live.start': liveStart,
  'live.end': liveEnd,
  'live.noshow': noShow,
  'live.missed': missed,
};

/** The resident leaves a live session with "menu" or "stop": the alderman is told, the word then works as usual. */
export const leaveLiveWord: GlobalWord = {
  name: 'leave-live',
  worksIn: ['live'],
  match: (input, state) =>
    state.live?.role === 'resident' && /^(menu|stop|stoppen|hoofdmenu)$/.test(input.normalized),
  handle: (ctx, input) => {
    const live = ctx.state.live;
    const next = /^stop/.test(input.normalized)
      ? { flow: 'stop', step: 'confirm' }
      : { flow: 'menu', step: 'main' };
    if (!live) return { mode: 'bot', goto: next };
    const booking = { id: live.bookingId, reference: live.reference, aldermanId: '', topic: '' };
    return {
      mode: 'bot',
      live: null,
      say: [{ to: live.partner, text: ctx.tIn('nl')('live.resident_left', { reference: live.reference }) }],
      effects: [endNotice(live.partner, booking, 'alderman')],
      goto: next,
    };
  },
};

/** The alderman ends the live session early with "einde". */
export const endWord: GlobalWord = {
  name: 'einde',
  worksIn: ['live'],
  match: (input, state) =>
    state.live?.role === 'alderman' && /^(einde|stop gesprek|end)$/.test(input.normalized),
  handle: () => ({ goto: { flow: 'live-end', step: 'end' } }),
};

export const liveEndFlow: Flow = {
  name: 'live-end',
  start: 'end',
  steps: {
    end: {
      enter: (ctx) => ({
        invoke: { service: 'bookings.complete', args: { bookingId: ctx.state.live?.bookingId } },
      }),
      result: (ctx, result) => {
        const live = ctx.state.live;
        const closed: Transition = {
          mode: 'bot',
          live: null,
          say: [ctx.t('live.ended_by_you', { reference: live?.reference ?? '' })],
        };
        if (!live) return toMenu(closed);
        // Told even when the booking could not be closed: the resident must not stay linked.
        const booking = result.ok
          ? (result.value as BookingView)
          : {
              id: live.bookingId,
              reference: live.reference,
              aldermanId: ctx.staff?.aldermanId ?? '',
              topic: '',
            };
        return toMenu({ ...closed, effects: [endNotice(live.partner, booking, 'resident')] });
      },
    },
  },
};

/** After the session the resident is asked for a rating of 1 to 5. */
export const liveRateFlow: Flow = {
  name: 'live-rate',
  start: 'ask',
  steps: {
    ask: {
      enter: (ctx) => ({ say: [{ text: ctx.t('live.rate'), choices: ratingChoices(ctx) }] }),
      answer: (ctx, input) => {
        if (input.choice?.id === 'skip') return toMenu();
        const rating = ratingOf(input);
        if (rating === undefined)
          return { say: [{ text: ctx.t('cases.error.rating_invalid'), choices: ratingChoices(ctx) }] };
        return { invoke: { service: 'bookings.rate', args: { bookingId: ctx.data.bookingId, rating } } };
      },
      result: (ctx) => toMenu({ say: [ctx.t('live.rated')] }),
    },
  },
};
