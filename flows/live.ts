import {
  residentLeftEventId,
  sessionEndEventId,
  type BookingEnd,
} from '../src/features/scheduling/events.js';
import { placeText, type BookingView } from '../src/features/scheduling/views.js';
import type { ServiceResult } from '../src/ports/services.js';
import { onDashboard, type Address } from '../src/shared/address.js';
import {
  call,
  eventLater,
  type Effect,
  type EventHandler,
  type Flow,
  type GlobalWord,
  type StepContext,
  type Transition,
} from './types.js';
import type { LiveLink } from '../src/engine/state.js';
import { ratingChoices, ratingOf, toMenu, whole } from './common.js';
import { aldermanName, kindText } from './book.js';
import { dateText, timeText } from './format.js';
import { sameWord } from '../src/understanding/tokens.js';

/** How long past the slot's end a live link lasts at most when no end notice comes. */
const LIVE_GRACE_MS = 10 * 60_000;

function names(ctx: StepContext, b: BookingEnd) {
  return {
    alderman: b.aldermanId ? aldermanName(ctx, b.aldermanId) : '',
    reference: b.reference,
    topic: b.topic ?? '',
  };
}

/** A reminder a day or an hour before the appointment. */
const reminder: EventHandler<'booking.reminder'> = (ctx, payload) => {
  const b = payload.booking;
  const kind = payload.kind;
  const how = ctx.t(`reminder.how.${b.kind}`, { place: b.place });
  const vars = {
    ...names(ctx, b),
    time: timeText(ctx, b.start),
    kind: kindText(ctx, b.kind),
    place: placeText(ctx.t, b.kind, b.place),
    how,
  };
  return { say: [ctx.t(`reminder.${kind}`, vars)] };
};

/**
 * The slot starts: resident and alderman are connected. From now on what one writes reaches the
 * other (see `relay` in frame.ts) until the end, 'einde', or a no-show. An alderman still in the
 * previous back-to-back session moves on to this one.
 */
const liveStart: EventHandler<'live.start'> = (ctx, payload) => {
  const b = payload.booking;
  const partner = payload.partner;
  if (!partner) return { say: [ctx.t('live.no_alderman')], flags: { needsHuman: true } };
  const role = payload.role;
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
  const closing: BookingEnd = {
    id: previous.bookingId,
    reference: previous.reference,
    aldermanId: ctx.staff?.aldermanId ?? b.aldermanId,
  };
  return {
    mode: 'live',
    live,
    say,
    leave: true,
    effects: [endNotice(previous.partner, closing, 'resident')],
  };
};

/**
 * A live.end for the other side of a session, once per booking whoever sends it; the one saying the
 * resident left (`left`) has an id of its own, so it is heard also after the end timer's notice. The
 * handler says the end itself only to a chat still in the session: never twice.
 */
function endNotice(to: Address, booking: BookingEnd, role: 'resident' | 'alderman', left?: true): Effect {
  const eventId = left ? residentLeftEventId(booking.id) : sessionEndEventId(booking.id);
  const payload = { booking, role, ...(left ? { left } : {}) };
  return eventLater(to, 'live.end', payload, { eventId, jobId: `${eventId}:${role}` });
}

/**
 * A link that lapsed on a message of the chat (see `FlowSet.liveLapsed`): an alderman hears that the
 * session is closed, as the end notice would have said; that notice, when it comes late, then finds
 * them out of the session and says nothing. A resident hears it from that notice, with the rating.
 */
export function liveLapsed(ctx: StepContext): Transition {
  const live = ctx.state.live;
  if (live?.role !== 'alderman') return {};
  return { say: [ctx.t('live.end_alderman', { reference: live.reference })] };
}

/** Only the session this notice is about ends; a newer one carries on. */
function endsThis(ctx: StepContext, b: BookingEnd): boolean {
  return ctx.state.mode === 'live' && ctx.state.live?.bookingId === b.id;
}

const liveEnd: EventHandler<'live.end'> = (ctx, payload) => {
  const b = payload.booking;
  if (payload.role === 'alderman') {
    // Rendered here, by the alderman's conversation, so in their language, not the resident's.
    const left = payload.left ? [ctx.t('live.resident_left', { reference: b.reference })] : [];
    return endsThis(ctx, b)
      ? { mode: 'bot', live: null, say: [...left, ctx.t('live.end_alderman', names(ctx, b))] }
      : left.length
        ? { say: left }
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

/**
 * What the alderman wrote from the dashboard reaches the resident as from their chat: as it is. When
 * the resident had left the session (the page says so), with who wrote it and that their answer goes
 * to the chat service, not to the alderman.
 */
/**
 * What the alderman wrote on the dashboard, marked as theirs (the chat log names them, not the
 * chatbot); after the resident left, said with who wrote it and for which appointment.
 */
const sayFromDashboard: EventHandler<'live.say'> = (ctx, payload) => {
  const left = payload.left;
  const id = payload.aldermanId ?? left?.aldermanId;
  const author = id ? { author: { role: 'alderman' as const, id } } : {};
  if (!left) return { say: [{ text: payload.text, ...author }] };
  const alderman = aldermanName(ctx, left.aldermanId);
  const text = ctx.t('live.say_after_left', { alderman, reference: left.reference, text: payload.text });
  return { say: [{ text, ...author }] };
};

const noShow: EventHandler<'live.noshow'> = (ctx, payload) => {
  const b = payload.booking;
  return endsThis(ctx, b)
    ? { mode: 'bot', live: null, say: [ctx.t('live.noshow_alderman', names(ctx, b))] }
    : { say: [ctx.t('live.noshow_alderman', names(ctx, b))] };
};

const missed: EventHandler<'live.missed'> = (ctx, payload) => {
  const b = payload.booking;
  return toMenu({
    ...(endsThis(ctx, b) ? { mode: 'bot' as const, live: null } : {}),
    say: [ctx.t('live.missed', names(ctx, b))],
  });
};

/** The alderman called the day off: an apology, and new times of the same alderman to choose from. */
const cancelledByAlderman: EventHandler<'booking.cancelled'> = (ctx, payload) => {
  const b = payload.booking;
  const reason = payload.reason ? ctx.t('live.cancelled_reason', { reason: payload.reason }) : '';
  const say = ctx.t(payload.one ? 'live.cancelled_one' : 'live.cancelled', {
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

export const liveEvents: {
  [
    K in
      | 'booking.reminder'
      | 'booking.cancelled'
      | 'live.start'
      | 'live.end'
      | 'live.say'
      | 'live.noshow'
      | 'live.missed'
  ]: EventHandler<K>;
} = {
  'booking.reminder': reminder,
  'booking.cancelled': cancelledByAlderman,
  'live.start': liveStart,
  'live.end': liveEnd,
  'live.say': sayFromDashboard,
  'live.noshow': noShow,
  'live.missed': missed,
};

/**
 * The resident leaves a live session with "menu" or "stop": the alderman is told (in their chat, and
 * on the dashboard through the booking's transcript), the word then works as usual.
 */
export const leaveLiveWord: GlobalWord = {
  name: 'leave-live',
  worksIn: ['live'],
  match: (input, state) => state.live?.role === 'resident' && (whole(input, 'menu') || whole(input, 'stop')),
  handle: (ctx, input) => {
    const live = ctx.state.live;
    const next = whole(input, 'stop') ? { flow: 'stop', step: 'confirm' } : { flow: 'menu', step: 'main' };
    if (!live) return { mode: 'bot', goto: next };
    const marked = call('bookings.left', { bookingId: live.bookingId }, () => ({ goto: next }));
    // An alderman on the dashboard has no chat to tell; their page shows the transcript's mark.
    if (onDashboard(live.partner)) return { mode: 'bot', live: null, call: marked };
    const booking: BookingEnd = { id: live.bookingId, reference: live.reference };
    return {
      mode: 'bot',
      live: null,
      effects: [endNotice(live.partner, booking, 'alderman', true)],
      call: marked,
    };
  },
};

/** The alderman ends the live session early with "einde". */
export const endWord: GlobalWord = {
  name: 'einde',
  worksIn: ['live'],
  // With a typo forgiven ("eidne", "eind"), as for every word a resident types: a near miss would
  // otherwise reach the resident as a message and leave the session open.
  match: (input, state) =>
    state.live?.role === 'alderman' &&
    (sameWord(input.normalized, 'einde') ||
      /^(einde gesprek|gesprek einde|(stop|sluit|beeindig) (het )?gesprek|end)$/.test(input.normalized)),
  handle: () => ({ goto: { flow: 'live-end', step: 'end' } }),
};

export const liveEndFlow: Flow = {
  name: 'live-end',
  title: 'live.title_end',
  start: 'end',
  label: 'dashboard.flow.live-end',
  steps: {
    end: {
      enter: (ctx) => ({
        call: call('bookings.complete', { bookingId: ctx.state.live?.bookingId ?? '' }, ended),
      }),
    },
  },
};

/** The alderman ended the session: both sides are told, also when the booking could not be closed. */
function ended(ctx: StepContext, result: ServiceResult<BookingView>): Transition {
  const live = ctx.state.live;
  const closed: Transition = {
    mode: 'bot',
    live: null,
    say: [ctx.t('live.ended_by_you', { reference: live?.reference ?? '' })],
  };
  if (!live) return toMenu(closed);
  // Told even when the booking could not be closed: the resident must not stay linked.
  const booking: BookingEnd = result.ok
    ? result.value
    : {
        id: live.bookingId,
        reference: live.reference,
        ...(ctx.staff ? { aldermanId: ctx.staff.aldermanId } : {}),
      };
  return toMenu({ ...closed, effects: [endNotice(live.partner, booking, 'resident')] });
}

/** After the session the resident is asked for a rating of 1 to 5. */
export const liveRateFlow: Flow = {
  name: 'live-rate',
  title: 'live.title_rate',
  start: 'ask',
  label: 'dashboard.flow.live-rate',
  steps: {
    ask: {
      enter: (ctx) => ({ say: [{ text: ctx.t('live.rate'), choices: ratingChoices(ctx) }] }),
      answer: (ctx, input) => {
        if (input.choice?.id === 'skip') return toMenu();
        const rating = ratingOf(input);
        if (rating === undefined)
          return { say: [{ text: ctx.t('cases.error.rating_invalid'), choices: ratingChoices(ctx) }] };
        const rated = (next: StepContext) => toMenu({ say: [next.t('live.rated')] });
        return { call: call('bookings.rate', { bookingId: ctx.data.bookingId ?? '', rating }, rated) };
      },
    },
  },
};
