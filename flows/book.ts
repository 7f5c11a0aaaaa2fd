import type { Flow, ServiceResult, StepContext, Transition } from '../src/engine/flow.js';
import type { BookingTimer, BookingView, SlotView } from '../src/features/scheduling/views.js';
import { findAlderman, findDistrict } from '../src/municipality/municipality.js';
import { toMenu } from './common.js';
import { dateText, shortText, timeText } from './format.js';

const TOPIC_MAX = 200;

export function aldermanName(ctx: StepContext, id: unknown): string {
  return findAlderman(ctx.municipality, typeof id === 'string' ? id : undefined)?.name ?? String(id);
}

export function kindText(ctx: StepContext, kind: string): string {
  return ctx.t(`scheduling.kind.${kind}`);
}

/** Jobs for a booking's reminders and live session, and the ones of the booking it replaces dropped. */
export function timerEffects(
  timers: BookingTimer[],
  dropped: string[] = [],
): NonNullable<Transition['effects']> {
  return [
    ...dropped.map((jobId) => ({ type: 'cancel-job' as const, jobId })),
    ...timers.map((t) => ({
      type: 'schedule' as const,
      name: 'booking.timer',
      data: t.data,
      jobId: t.jobId,
      runAt: new Date(t.runAt),
    })),
  ];
}

function offered(ctx: StepContext): SlotView[] {
  return Array.isArray(ctx.data.offered) ? (ctx.data.offered as SlotView[]) : [];
}

/** Asks for free slots of the chosen alderman (`aldermanId` when it is being chosen in this very step). */
function askSlots(ctx: StepContext, after?: number, aldermanId = ctx.data.aldermanId): Transition {
  return {
    invoke: { service: 'bookings.free', args: { aldermanId, limit: 5, ...(after ? { after } : {}) } },
  };
}

/** Shows free slots as choices, with "later" to see more. */
function showSlots(ctx: StepContext, result: ServiceResult, lead?: string): Transition {
  const slots = result.ok ? (result.value as SlotView[]) : [];
  const alderman = aldermanName(ctx, ctx.data.aldermanId);
  if (slots.length === 0 && offered(ctx).length === 0)
    return toMenu({ say: [ctx.t('book.no_slots', { alderman })] });
  const shown = slots.length ? slots : offered(ctx);
  const choices = [
    ...shown.map((s) => ({
      id: `slot:${s.start}`,
      label: ctx.t('book.slot_label', { when: shortText(ctx, s.start), kind: kindText(ctx, s.kind) }),
    })),
    ...(slots.length ? [{ id: 'later', label: ctx.t('book.later') }] : []),
    { id: 'stop', label: ctx.t('book.stop') },
  ];
  const intro = slots.length ? ctx.t('book.slots', { alderman }) : ctx.t('book.no_more_slots');
  const text = lead ? `${lead}\n${intro}` : intro;
  return { data: { offered: shown }, say: [{ text, choices }], goto: 'slot' };
}

/** A move or cancel that cannot be done: too close to the slot, or the booking is gone. */
export function changeFailed(ctx: StepContext, code: string): Transition {
  if (code !== 'booking.past-deadline') return toMenu({ say: [ctx.t('appointments.not_found')] });
  const rules = ctx.municipality.hours.rules;
  return toMenu({
    say: [
      ctx.t('appointments.too_late', { minutes: rules.changeDeadlineMinutes, phone: ctx.municipality.phone }),
    ],
  });
}

/** What a failed booking means for the resident, with a way on. */
function bookingFailed(ctx: StepContext, code: string): Transition {
  const alderman = aldermanName(ctx, ctx.data.aldermanId);
  if (code === 'booking.taken') return { data: { lead: ctx.t('book.taken'), offered: [] }, ...askSlots(ctx) };
  if (code === 'booking.already-booked') return toMenu({ say: [ctx.t('book.already', { alderman })] });
  if (code === 'booking.too-soon') {
    const minutes = ctx.municipality.hours.rules.minNoticeMinutes;
    return { data: { lead: ctx.t('book.too_soon', { minutes }), offered: [] }, ...askSlots(ctx) };
  }
  if (['booking.past-deadline', 'booking.not-found', 'booking.not-active'].includes(code))
    return changeFailed(ctx, code);
  return { data: { lead: ctx.t('book.not_a_slot'), offered: [] }, ...askSlots(ctx) };
}

/**
 * Booking a few minutes with an alderman: the resident's own district alderman is proposed (the
 * district is asked when unknown), or another chosen; free slots come as choices with "later";
 * a short topic; a confirmation; then the booking, its calendar link and its timers. Also moves
 * a booking (`data.moving`), keeping the same steps.
 */
export const bookFlow: Flow = {
  name: 'book',
  start: 'start',
  triggers: [
    /^(afspraak|afspraak maken|spreekuur|een afspraak|appointment|make an appointment|book)$/,
    /\b(afspraak maken|spreekuur boeken)\b/,
  ],
  menu: { order: 20, label: 'book.menu', synonyms: ['afspraak', 'spreekuur', 'appointment'] },
  steps: {
    start: {
      enter: (ctx) => {
        if (typeof ctx.data.aldermanId === 'string') return askSlots(ctx);
        const districtId = ctx.data.districtId ?? ctx.state.profile.districtId;
        const district = findDistrict(
          ctx.municipality,
          typeof districtId === 'string' ? districtId : undefined,
        );
        if (!district) return { goto: { flow: 'district', step: 'ask' }, returnTo: 'start' };
        const alderman = aldermanName(ctx, district.aldermanId);
        const choices = [
          { id: `alderman:${district.aldermanId}`, label: ctx.t('book.with', { alderman }) },
          { id: 'other', label: ctx.t('book.other') },
        ];
        return {
          data: { proposed: district.aldermanId },
          say: [{ text: ctx.t('book.propose', { alderman }), choices }],
          goto: 'alderman',
        };
      },
      result: (ctx, result) => showSlots(ctx, result),
    },
    alderman: {
      answer: (ctx, input) => {
        const id = input.choice?.id.startsWith('alderman:')
          ? input.choice.id.slice(9)
          : /^(ja|yes)\b/.test(input.normalized)
            ? ctx.data.proposed
            : undefined;
        if (typeof id === 'string') return { data: { aldermanId: id }, ...askSlots(ctx, undefined, id) };
        const choices = ctx.municipality.aldermen.map((a) => ({ id: `alderman:${a.id}`, label: a.name }));
        return { say: [{ text: ctx.t('book.choose_alderman'), choices }] };
      },
      result: (ctx, result) => showSlots(ctx, result),
    },
    slot: {
      answer: (ctx, input) => {
        const id = input.choice?.id ?? '';
        if (id === 'stop') return toMenu({ say: [ctx.t('book.cancelled_stop')] });
        if (id === 'later') return askSlots(ctx, Math.max(...offered(ctx).map((s) => s.start)));
        const start = id.startsWith('slot:') ? Number(id.slice(5)) : undefined;
        if (!start) return showSlots(ctx, { ok: true, value: offered(ctx) });
        const known = typeof ctx.data.moving === 'string' || typeof ctx.data.topic === 'string';
        return { data: { start }, goto: known ? 'confirm' : 'topic' };
      },
      result: (ctx, result) => showSlots(ctx, result),
    },
    topic: {
      freeText: true,
      enter: (ctx) => ({ say: [ctx.t('book.topic')] }),
      answer: (ctx, input) => {
        if (input.text.length > TOPIC_MAX) return { say: [ctx.t('book.topic_too_long', { max: TOPIC_MAX })] };
        return { data: { topic: input.text }, goto: 'confirm' };
      },
    },
    confirm: {
      enter: (ctx) => {
        const slot = offered(ctx).find((s) => s.start === ctx.data.start);
        const start = Number(ctx.data.start);
        const vars = {
          alderman: aldermanName(ctx, ctx.data.aldermanId),
          date: dateText(ctx, start),
          time: timeText(ctx, start),
          kind: kindText(ctx, slot?.kind ?? 'chat'),
          place: slot?.place ?? '',
          topic: typeof ctx.data.topic === 'string' ? ctx.data.topic : '—',
        };
        const choices = [
          { id: 'yes', label: ctx.t('book.yes') },
          { id: 'other-time', label: ctx.t('book.other_time') },
          { id: 'stop', label: ctx.t('book.stop') },
        ];
        return { say: [{ text: ctx.t('book.confirm', vars), choices }] };
      },
      answer: (ctx, input) => {
        const id = input.choice?.id ?? (/^(ja|yes)\b/.test(input.normalized) ? 'yes' : '');
        if (id === 'other-time') return askSlots(ctx);
        if (id !== 'yes') return toMenu({ say: [ctx.t('book.cancelled_stop')] });
        if (typeof ctx.data.moving === 'string') {
          return {
            invoke: { service: 'bookings.move', args: { bookingId: ctx.data.moving, start: ctx.data.start } },
          };
        }
        return {
          invoke: {
            service: 'bookings.book',
            args: {
              aldermanId: ctx.data.aldermanId,
              start: ctx.data.start,
              topic: ctx.data.topic,
              firstName: ctx.input?.firstName,
            },
          },
        };
      },
      result: (ctx, result) => {
        if (!result.ok) return bookingFailed(ctx, result.code);
        if (Array.isArray(result.value))
          return showSlots(ctx, result, typeof ctx.data.lead === 'string' ? ctx.data.lead : undefined);
        const { booking, timers, dropped } = result.value as {
          booking: BookingView;
          timers: BookingTimer[];
          dropped?: string[];
        };
        const effects = timerEffects(timers, dropped);
        if (typeof ctx.data.moving === 'string') {
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
      },
    },
  },
};
