import { call, type Effect, type Flow, type StepContext, type Transition, type UserInput } from './types.js';
import {
  placeText,
  type BookingTimer,
  type BookingView,
  type SlotView,
} from '../src/features/scheduling/views.js';
import type { SessionKind } from '../src/municipality/hours-schema.js';
import type { AldermanChange } from '../src/features/scheduling/events.js';
import { aldermanNoticeJob, TELL_ALDERMAN_JOB } from '../src/features/scheduling/alderman-jobs.js';
import type { ServiceResult } from '../src/ports/services.js';
import { findAlderman, findDistrict } from '../src/municipality/municipality.js';
import { askAgain, knownDistrictId, toMenu, yesOrNo } from './common.js';
import { topicIn } from '../src/understanding/topic.js';
import { endOfLocalDay, localDateOf } from '../src/shared/local-date.js';
import { dateText, shortText, timeText } from './format.js';
import { wishText } from './slot-wish.js';
import { fitsWish } from '../src/features/scheduling/slot-wish.js';
import type { TimeWish } from '../src/understanding/time-wish.js';

const TOPIC_MAX = 200;

export function aldermanName(ctx: StepContext, id: unknown): string {
  return findAlderman(ctx.municipality, typeof id === 'string' ? id : undefined)?.name ?? String(id);
}

export function kindText(ctx: StepContext, kind: SessionKind): string {
  return ctx.t(`scheduling.kind.${kind}`);
}

/** Jobs for a booking's reminders and live session, and the ones of the booking it replaces dropped. */
export function timerEffects(timers: BookingTimer[], dropped: string[] = []): Effect[] {
  return [
    ...dropped.map((jobId): Effect => ({ type: 'cancel-job', jobId })),
    ...timers.map((t): Effect => ({
      type: 'schedule',
      name: 'booking.timer',
      data: t.data,
      jobId: t.jobId,
      runAt: new Date(t.runAt),
    })),
  ];
}

/**
 * The job that tells the booking's alderman (in their linked chats) of what the resident did: queued
 * with the resident's reply, run after it. Its id is per booking, change and slot start.
 */
export function tellAlderman(b: BookingView, change: AldermanChange): Effect {
  const { jobId, data } = aldermanNoticeJob(b, change);
  return { type: 'schedule', name: TELL_ALDERMAN_JOB, data, jobId };
}

function offered(ctx: StepContext): SlotView[] {
  return ctx.data.offered ?? [];
}

/**
 * Asks for free slots of the chosen alderman (`aldermanId` when it is being chosen in this very
 * step) and shows them, after `lead` when something needs saying first.
 */
function askSlots(
  ctx: StepContext,
  options: { after?: number; aldermanId?: string; lead?: string; wish?: TimeWish } = {},
): Transition {
  const aldermanId = options.aldermanId ?? ctx.data.aldermanId ?? '';
  const { after, lead, wish } = options;
  const args = { aldermanId, limit: 5, ...(after ? { after } : {}), ...(wish ? { wish } : {}) };
  return {
    call: call('bookings.free', args, (next, result) =>
      showSlots(next, result, {
        ...(lead ? { lead } : {}),
        later: after !== undefined,
        ...(wish ? { wish } : {}),
      }),
    ),
  };
}

/**
 * Before the times of a new booking: a resident who already has as many upcoming appointments with
 * this alderman as the rules allow hears so now, with a move of that appointment offered, not after
 * choosing a time and a topic (the booking then refused). A move goes straight to the times.
 */
function slotsFor(ctx: StepContext, aldermanId: string, options: { wish?: TimeWish } = {}): Transition {
  if (ctx.data.moving !== undefined) return askSlots(ctx, { aldermanId, ...options });
  return {
    call: call('bookings.upcoming', {}, (next, result) => {
      const own = result.ok ? result.value.filter((b) => b.aldermanId === aldermanId) : [];
      const first = own[0];
      if (!first || own.length < next.municipality.hours.rules.maxUpcomingPerResidentPerAlderman)
        return askSlots(next, { aldermanId, ...options });
      const vars = {
        alderman: aldermanName(next, aldermanId),
        date: dateText(next, first.start),
        time: timeText(next, first.start),
      };
      const choices = [
        { id: `move:${first.id}`, label: next.t('book.already_move'), means: 'yes' as const },
        { id: 'menu', label: next.t('core.back_to_menu'), means: 'no' as const },
      ];
      return {
        data: { bookings: own },
        say: [{ text: next.t('book.already_early', vars), choices }],
        goto: 'already',
      };
    }),
  };
}

/** A free slot as a choice's label: "di 8 dec 19:00 (chat)". */
function slotLabel(ctx: StepContext, s: SlotView): string {
  return ctx.t('book.slot_label', { when: shortText(ctx, s.start), kind: kindText(ctx, s.kind) });
}

/** The last moment of the local day of `at` (milliseconds), in the municipality's time zone. */
function afterDayOf(ctx: StepContext, at: number): number {
  const zone = ctx.municipality.timeZone;
  return endOfLocalDay(localDateOf(new Date(at), zone), zone).getTime();
}

/**
 * Words that ask for another time ("andere dag", "dinsdag lukt me niet", "ik kan die dag toch
 * niet"): the other-time intent (at the menu: the appointments), read at a step that offers times;
 * here also its vague words alone ("dat lukt me niet"), which elsewhere mean nothing. A tapped or
 * typed label wins; a choice only read into the words (the "niet" as the stop, "dinsdag" as a
 * Tuesday) does not.
 */
function otherTime(input: UserInput): boolean {
  if (input.intent?.intent !== 'other-time' && input.vague !== 'other-time') return false;
  return notTapped(input);
}

/** No choice tapped or typed as its label: none at all, or one only read into the words or the answer. */
function notTapped(input: UserInput): boolean {
  return input.choice === undefined || input.choiceBy === 'answer' || input.choiceBy === 'words';
}

/** How much of the message "another time" must explain for a topic to be a correction of the time. */
const CORRECTION_CONFIDENCE = 0.5;

/**
 * At the topic, the message takes back the time just picked ("verkeerde tijd, ik bedoelde de
 * tweede", "andere dag"): the times again. A topic that only mentions such words among its own
 * ("de verkeerde tijd op het bord bij de bushalte") stays the topic.
 */
function correctsTime(input: UserInput): boolean {
  const reading = input.intent;
  return reading?.intent === 'other-time' && reading.confidence >= CORRECTION_CONFIDENCE;
}

/**
 * A message that rules a day, date or part of the day out ("17 december lukt me niet", "I can't do
 * Wednesday"): the times without it are looked for. A tapped choice wins.
 */
function rulesOut(input: UserInput): input is UserInput & { timeWish: TimeWish } {
  return input.timeWish?.not !== undefined && notTapped(input);
}

/**
 * At the topic, a message about the time rather than a subject: one that rules a day out, or a wish
 * put as a preference or a question ("liever in januari", "kan het ook 's avonds?", "nee, liever op
 * dinsdag"). A subject with a month in it ("over de kerstmarkt in december") stays the subject.
 */
function wishForTime(input: UserInput): input is UserInput & { timeWish: TimeWish } {
  if (!input.timeWish || !named(input.timeWish)) return false;
  if (rulesOut(input)) return true;
  return /^(nee\b\W*)?(liever|kan het|kan dat|heeft u|rather|could it|can it|do you have)\b/u.test(
    input.normalized,
  );
}

/** The words speak of a day or date ("die dag", "andere datum", "that day"), not just a time. */
function namesDay(input: UserInput): boolean {
  return /\b(dag|datum|day|date)\b/u.test(input.normalized);
}

/** The most free times kept from earlier pages: the last ones shown. */
const EARLIER_MAX = 40;

/** A free time as a choice. */
function slotChoice(ctx: StepContext, s: SlotView): { id: string; label: string } {
  return { id: `slot:${s.start}`, label: slotLabel(ctx, s) };
}

/**
 * Shows free slots as choices, with "later" to see more. The times of earlier pages stay pickable
 * by their time typed ("maandag 10:00" from the first page while the second is shown): they are
 * kept as the message's `earlier` choices; booking one checks again that it is still free. Times
 * found for a wish ("op dinsdag") say so, and "later" goes on with that wish; when none fits it, the
 * times shown stay, with what was looked for.
 */
function showSlots(
  ctx: StepContext,
  result: ServiceResult<SlotView[]>,
  options: { lead?: string; later?: boolean; wish?: TimeWish } = {},
): Transition {
  const { lead, later = false, wish } = options;
  const slots = result.ok ? result.value : [];
  const alderman = aldermanName(ctx, ctx.data.aldermanId);
  // Nothing for a wish, and no times on offer yet (a move "naar februari"): the first free times,
  // saying the wish has none. Only no time at all ends the booking.
  if (slots.length === 0 && offered(ctx).length === 0 && wish) {
    const none = ctx.t('book.wish_none_lead', { alderman, wish: wishText(ctx, wish) });
    return askSlots(ctx, { lead: lead ? `${lead}\n${none}` : none });
  }
  if (slots.length === 0 && offered(ctx).length === 0)
    return toMenu({ say: [ctx.t('book.no_slots', { alderman })] });
  const shown = slots.length ? slots : offered(ctx);
  const isShown = (s: SlotView) => shown.some((x) => x.start === s.start);
  const seen = [...(ctx.data.earlier ?? []), ...offered(ctx)].filter((s) => !isShown(s));
  const earlier = seen.filter((s, i) => seen.findIndex((x) => x.start === s.start) === i).slice(-EARLIER_MAX);
  const choices = [
    ...shown.map((s) => slotChoice(ctx, s)),
    // No time for a wish: the times shown stay, and so do the later ones.
    ...(slots.length || (wish && !later) ? [{ id: 'later', label: ctx.t('book.later') }] : []),
    { id: 'stop', label: ctx.t('book.stop') },
  ];
  const intro = slotsIntro(ctx, { found: slots.length > 0, later, alderman, wish });
  const text = lead ? `${lead}\n${intro}` : intro;
  // "Latere tijden" after times for a wish shows more of them; after other times, any.
  const kept = slots.length && wish ? wish : undefined;
  return {
    data: { offered: shown, earlier, wish: kept },
    say: [{ text, choices, earlier: earlier.map((s) => slotChoice(ctx, s)) }],
    goto: 'slot',
  };
}

/**
 * What the times shown are: the first or the next free ones (a page after the first, "Latere tijden"
 * or "andere dag", does not call its times the first), those for a wish, or none (more) of those.
 */
function slotsIntro(
  ctx: StepContext,
  at: { found: boolean; later: boolean; alderman: string; wish: TimeWish | undefined },
): string {
  const { found, later, alderman } = at;
  if (!at.wish)
    return found
      ? ctx.t(later ? 'book.slots_later' : 'book.slots', { alderman })
      : ctx.t('book.no_more_slots');
  const wish = wishText(ctx, at.wish);
  if (found) return ctx.t(later ? 'book.slots_wish_later' : 'book.slots_wish', { alderman, wish });
  // Nothing but what was ruled out is free: "heeft alleen vrije tijd op woensdag", not "geen … niet op woensdag".
  const not = at.wish.not;
  if (not && !names(at.wish, ['earlier', 'not']) && !later)
    return ctx.t('book.wish_none_not', { alderman, wish: wishText(ctx, not) });
  return later ? ctx.t('book.wish_no_more', { wish }) : ctx.t('book.wish_none', { alderman, wish });
}

/** Whether a wish names a time, more than "earlier". */
function named(wish: TimeWish): boolean {
  return names(wish, ['earlier']);
}

/** Whether a wish has a part other than those `except`: "niet op woensdag" names nothing but a `not`. */
function names(wish: TimeWish, except: readonly (keyof TimeWish)[]): boolean {
  return Object.entries(wish).some(([k, v]) => !except.some((e) => e === k) && v !== undefined);
}

/** The time chosen (`data.start`, from the times shown) fits the wish. */
function chosenFits(ctx: StepContext, wish: TimeWish): boolean {
  const slot = [...offered(ctx), ...(ctx.data.earlier ?? [])].find((s) => s.start === ctx.data.start);
  if (!slot) return false;
  return fitsWish({ start: new Date(slot.start), kind: slot.kind }, wish, ctx.municipality.timeZone);
}

/** The choice that books with the alderman proposed: "Ja, met Anna de Vries". */
function proposedLabel(ctx: StepContext, aldermanId: string): string {
  return ctx.t('book.with', { alderman: aldermanName(ctx, aldermanId) });
}

/** "Stoppen": no appointment made, or (a move) the appointment stays as it was, and says which. */
function stopped(ctx: StepContext): Transition {
  const from = ctx.data.movingFrom;
  if (ctx.data.moving === undefined || from === undefined)
    return toMenu({ say: [ctx.t('book.cancelled_stop')] });
  return toMenu({
    say: [ctx.t('book.move_stopped', { date: dateText(ctx, from), time: timeText(ctx, from) })],
  });
}

/** "terug" after a time was chosen: the times again, those of the wish they were found for. */
function backToTimes(ctx: StepContext): Transition {
  return askSlots(ctx, ctx.data.wish ? { wish: ctx.data.wish } : {});
}

/**
 * Other times for a booking, in this flow (`moving`): from "Mijn afspraken", or offered when the
 * resident already has the appointments allowed; those of a wish, when one is given.
 */
export function moveTo(booking: BookingView, wish?: TimeWish): Transition {
  return {
    goto: { flow: 'book', step: 'start' },
    data: {
      moving: booking.id,
      movingFrom: booking.start,
      aldermanId: booking.aldermanId,
      topic: booking.topic,
      ...(wish ? { wish } : {}),
    },
  };
}

/** The same times again, with how to pick one: nothing is chosen on a guess. */
function slotsAgain(ctx: StepContext): Transition {
  const choices = ctx.state.choices ?? [];
  return { say: [{ text: ctx.t('book.slot_again'), choices }] };
}

/** A move or cancel that cannot be done: too close to the slot, or the booking is gone. */
export function changeFailed(ctx: StepContext, code: string): Transition {
  if (code !== 'booking.past-deadline') return toMenu({ say: [ctx.t('appointments.not_found')] });
  const rules = ctx.municipality.hours.rules;
  return toMenu({
    say: [
      ctx.t('appointments.too_late', { count: rules.changeDeadlineMinutes, phone: ctx.municipality.phone }),
    ],
  });
}

/** What a failed booking means for the resident, with a way on. */
function bookingFailed(ctx: StepContext, code: string): Transition {
  const alderman = aldermanName(ctx, ctx.data.aldermanId);
  if (code === 'booking.taken')
    return { data: { offered: [], earlier: [] }, ...askSlots(ctx, { lead: ctx.t('book.taken') }) };
  if (code === 'booking.already-booked') return toMenu({ say: [ctx.t('book.already', { alderman })] });
  if (code === 'booking.too-soon') {
    const minutes = ctx.municipality.hours.rules.minNoticeMinutes;
    return {
      data: { offered: [], earlier: [] },
      ...askSlots(ctx, { lead: ctx.t('book.too_soon', { count: minutes }) }),
    };
  }
  if (['booking.past-deadline', 'booking.not-found', 'booking.not-active'].includes(code))
    return changeFailed(ctx, code);
  return { data: { offered: [], earlier: [] }, ...askSlots(ctx, { lead: ctx.t('book.not_a_slot') }) };
}

/** The booking (or the move) is made: its reference, calendar link and timers; or why not. */
function booked(
  ctx: StepContext,
  result: ServiceResult<{ booking: BookingView; timers: BookingTimer[]; dropped?: string[] }>,
): Transition {
  if (!result.ok) return bookingFailed(ctx, result.code);
  const { booking, timers, dropped } = result.value;
  const change = ctx.data.moving !== undefined ? 'moved' : 'booked';
  const effects = [...timerEffects(timers, dropped), tellAlderman(booking, change)];
  if (ctx.data.moving !== undefined) {
    const vars = {
      date: dateText(ctx, booking.start),
      time: timeText(ctx, booking.start),
      reference: booking.reference,
    };
    return toMenu({
      say: [ctx.t('appointments.moved', vars), ctx.t('book.calendar', { url: booking.icsUrl })],
      effects,
    });
  }
  return toMenu({
    say: [
      ctx.t('book.done', { reference: booking.reference }),
      ctx.t('book.calendar', { url: booking.icsUrl }),
    ],
    effects,
  });
}

/**
 * Booking a few minutes with an alderman: the resident's own district alderman is proposed (the
 * district is asked when unknown), or another chosen; free slots come as choices with "later";
 * a short topic; a confirmation; then the booking, its calendar link and its timers. Also moves
 * a booking (`data.moving`), keeping the same steps.
 */
/**
 * The subject the message that started the booking named ("Ik wil de wethouder spreken over de
 * speeltuin"), when that message asked for a booking in words; kept when one was found before (the
 * district question comes back to the start with a postcode as its message).
 */
function namedTopic(ctx: StepContext): string | undefined {
  if (ctx.data.namedTopic !== undefined || ctx.data.moving !== undefined) return undefined;
  if (ctx.input?.intent?.intent !== 'book') return undefined;
  return topicIn(ctx.input.text, TOPIC_MAX);
}

export const bookFlow: Flow = {
  name: 'book',
  start: 'start',
  label: 'dashboard.flow.book',
  intents: ['book'],
  menu: { order: 20, label: 'book.menu' },
  steps: {
    start: {
      label: 'dashboard.flow_step.book.start',
      enter: (ctx) => {
        const named = namedTopic(ctx);
        const started = named === undefined ? {} : { data: { namedTopic: named } };
        // A move from "mijn afspraken" may bring a wish ("verzetten naar januari").
        const wish = ctx.data.wish;
        if (ctx.data.aldermanId !== undefined)
          return { ...started, ...slotsFor(ctx, ctx.data.aldermanId, wish ? { wish } : {}) };
        const district = findDistrict(ctx.municipality, knownDistrictId(ctx));
        if (!district) return { ...started, goto: { flow: 'district', step: 'ask' }, returnTo: 'start' };
        const alderman = aldermanName(ctx, district.aldermanId);
        const choices = [
          {
            id: `alderman:${district.aldermanId}`,
            label: proposedLabel(ctx, district.aldermanId),
            means: 'yes' as const,
          },
          { id: 'other', label: ctx.t('book.other'), means: 'no' as const },
        ];
        return {
          data: { proposed: district.aldermanId, ...started.data },
          say: [{ text: ctx.t('book.propose', { alderman }), choices }],
          goto: 'alderman',
        };
      },
    },
    alderman: {
      label: 'dashboard.flow_step.book.alderman',
      // The proposal names the alderman in a sentence; the list of every alderman only by name.
      relabel: (ctx, choice, shown) => {
        if (choice.id === 'other') return ctx.t('book.other');
        const proposal = shown.some((c) => c.id === 'other') && choice.id.startsWith('alderman:');
        return proposal ? proposedLabel(ctx, choice.id.slice(9)) : undefined;
      },
      answer: (ctx, input) => {
        const id = input.choice?.id.startsWith('alderman:') ? input.choice.id.slice(9) : undefined;
        if (id !== undefined) return { data: { aldermanId: id }, ...slotsFor(ctx, id) };
        // At the list of every alderman, an answer that names none is asked again, saying so.
        if (!ctx.state.choices?.some((c) => c.id === 'other'))
          return askAgain(ctx, ctx.t('book.choose_alderman'));
        const choices = ctx.municipality.aldermen.map((a) => ({ id: `alderman:${a.id}`, label: a.name }));
        return { say: [{ text: ctx.t('book.choose_alderman'), choices }] };
      },
    },
    already: {
      label: 'dashboard.flow_step.book.already',
      relabel: (ctx, choice) =>
        choice.id === 'menu'
          ? ctx.t('core.back_to_menu')
          : choice.id.startsWith('move:')
            ? ctx.t('book.already_move')
            : undefined,
      answer: (ctx, input) => {
        const id = input.choice?.id ?? '';
        if (id === 'menu') return toMenu();
        const booking = ctx.data.bookings?.find((b) => `move:${b.id}` === id);
        // The same move as from "Mijn afspraken": its topic kept, no topic question.
        return booking ? moveTo(booking) : askAgain(ctx);
      },
    },
    slot: {
      label: 'dashboard.flow_step.book.slot',
      // "andere dag", "dinsdag lukt me niet": other times, not the resident's appointments.
      reads: ['other-time'],
      relabel: (ctx, choice) => {
        if (choice.id === 'later') return ctx.t('book.later');
        if (choice.id === 'stop') return ctx.t('book.stop');
        // Also a time of an earlier page, said again after a question in between.
        const slot = [...offered(ctx), ...(ctx.data.earlier ?? [])].find(
          (s) => `slot:${s.start}` === choice.id,
        );
        return slot ? slotLabel(ctx, slot) : undefined;
      },
      answer: (ctx, input) => {
        const id = input.choice?.id ?? '';
        if (id === 'stop') return stopped(ctx);
        const last = Math.max(...offered(ctx).map((s) => s.start));
        const wish = ctx.data.wish;
        if (id === 'later') return askSlots(ctx, { after: last, ...(wish ? { wish } : {}) });
        // "kan het eerder?": the first free times again after a later page; on the first, that
        // there are none earlier (it is no other day, which would show later ones).
        if (input.timeWish?.earlier && !named(input.timeWish) && input.choice?.id === undefined)
          return ctx.data.earlier?.length
            ? askSlots(ctx, wish ? { wish } : {})
            : { say: [{ text: ctx.t('book.no_earlier'), choices: ctx.state.choices ?? [] }] };
        // "17 december lukt me niet", "woensdag lukt me niet": that day left out, not simply later times.
        if (rulesOut(input)) return askSlots(ctx, { wish: input.timeWish });
        // Another day: the times after the last day shown, not more of that same evening.
        if (otherTime(input)) return askSlots(ctx, { after: afterDayOf(ctx, last) });
        const start = id.startsWith('slot:') ? Number(id.slice(5)) : undefined;
        // A day, part of the day, month or kind no time shown has ("heeft u iets op dinsdag?"): look for it.
        if (!start && input.timeWish && named(input.timeWish)) return askSlots(ctx, { wish: input.timeWish });
        if (!start) return slotsAgain(ctx);
        const known = ctx.data.moving !== undefined || ctx.data.topic !== undefined;
        return { data: { start }, goto: known ? 'confirm' : 'topic' };
      },
    },
    topic: {
      label: 'dashboard.flow_step.book.topic',
      freeText: true,
      // "sorry, verkeerde tijd": a correction of the time just picked, not the topic (nor "Mijn afspraken").
      reads: ['other-time'],
      previous: backToTimes,
      enter: (ctx) => {
        const named = ctx.data.namedTopic;
        if (named === undefined) return { say: [ctx.t('book.topic')] };
        // The subject the resident named when asking for the booking: one tap, or words of their own.
        const choices = [{ id: 'named', label: ctx.t('book.topic_named_yes'), means: 'yes' as const }];
        return { say: [{ text: ctx.t('book.topic_named', { topic: named }), choices }] };
      },
      answer: (ctx, input) => {
        const named = ctx.data.namedTopic;
        if (named !== undefined) {
          // Only the button, its number or its words, or a plain yes or no: a subject of their own may
          // well have "klopt" or "ja" in it.
          const tapped = input.choice?.id === 'named' && input.choiceBy !== 'words';
          const yes = tapped ? true : input.answerAlone ? yesOrNo(input) : undefined;
          if (yes === true) return { data: { topic: named, namedTopic: undefined }, goto: 'confirm' };
          if (yes === false) return { data: { namedTopic: undefined }, say: [ctx.t('book.topic')] };
        }
        if (correctsTime(input)) return askSlots(ctx);
        // "liever in januari", "9 december kan ik niet" here speak of the time just chosen, not the topic.
        if (wishForTime(input)) return askSlots(ctx, { wish: input.timeWish });
        if (input.text.length > TOPIC_MAX) return { say: [ctx.t('book.topic_too_long', { max: TOPIC_MAX })] };
        // "1", "?" or 👍 says no subject: most often a time or button meant for the step before.
        if (!/\p{L}/u.test(input.text)) return { say: [ctx.t('book.topic')] };
        return { data: { topic: input.text, namedTopic: undefined }, goto: 'confirm' };
      },
    },
    confirm: {
      label: 'dashboard.flow_step.book.confirm',
      // "ik kan die dag toch niet": another time, not a stop (nor the resident's appointments).
      reads: ['other-time'],
      // "terug" here goes to the times again, the topic kept: not out of the booking.
      previous: backToTimes,
      enter: (ctx) => {
        const moving = ctx.data.moving !== undefined;
        const slot = [...offered(ctx), ...(ctx.data.earlier ?? [])].find((s) => s.start === ctx.data.start);
        const start = Number(ctx.data.start);
        const vars = {
          alderman: aldermanName(ctx, ctx.data.aldermanId),
          date: dateText(ctx, start),
          time: timeText(ctx, start),
          kind: kindText(ctx, slot?.kind ?? 'chat'),
          place: placeText(ctx.t, slot?.kind ?? 'chat', slot?.place ?? ''),
          topic: ctx.data.topic ?? '—',
        };
        const choices = [
          {
            id: 'yes',
            label: ctx.t(moving ? 'book.yes_move' : 'book.yes'),
            means: 'yes' as const,
            acts: true,
            confirms: 'book',
          },
          { id: 'other-time', label: ctx.t('book.other_time') },
          { id: 'stop', label: ctx.t('book.stop'), means: 'no' as const },
        ];
        // A move says from when to when, and its yes moves: it looked like a new appointment.
        const from = ctx.data.movingFrom;
        const text = moving
          ? ctx.t('book.confirm_move', {
              ...vars,
              fromDate: from ? dateText(ctx, from) : '—',
              fromTime: from ? timeText(ctx, from) : '—',
            })
          : ctx.t('book.confirm', vars);
        return { say: [{ text, choices }] };
      },
      answer: (ctx, input) => {
        // Only a clear yes books: "klopt", "prima zo" and 👍 are read as the yes choice; anything
        // unclear is asked again, never taken as a no (or a yes).
        const id = input.choice?.id;
        if (rulesOut(input)) return askSlots(ctx, { wish: input.timeWish });
        if (id === 'other-time') return askSlots(ctx);
        // "ik kan die dag toch niet", typed: the times after the day chosen; "een andere tijd" and the
        // button: any time, from the first.
        if (otherTime(input))
          return askSlots(
            ctx,
            namesDay(input) ? { after: afterDayOf(ctx, ctx.data.start ?? ctx.now.getTime()) } : {},
          );
        // "nee, liever op dinsdag", "kan het ook in januari?": the times that fit, not a stop (its
        // "nee" chose "Stoppen") nor the question again. A wish the chosen time fits, without a no
        // ("ja, dinsdag is goed" for a Tuesday), looks for nothing: it is a yes or asked again.
        const wish = input.timeWish && named(input.timeWish) ? input.timeWish : undefined;
        const elsewhere = wish && (input.answer === 'no' || !chosenFits(ctx, wish));
        if (wish && elsewhere && id !== 'yes') return askSlots(ctx, { wish });
        if (id === 'stop') return stopped(ctx);
        if (id !== 'yes')
          return askAgain(
            ctx,
            ctx.t(ctx.data.moving !== undefined ? 'book.confirm_again_move' : 'book.confirm_again'),
          );
        const start = ctx.data.start ?? 0;
        if (ctx.data.moving !== undefined) {
          return { call: call('bookings.move', { bookingId: ctx.data.moving, start }, booked) };
        }
        const args = {
          aldermanId: ctx.data.aldermanId ?? '',
          start,
          topic: ctx.data.topic ?? '',
          ...(ctx.input?.firstName ? { firstName: ctx.input.firstName } : {}),
        };
        return { call: call('bookings.book', args, booked) };
      },
    },
  },
};
