import type { ServiceResult } from '../src/ports/services.js';
import { call, type Flow, type StepContext, type Transition } from './types.js';
import type { BookingView } from '../src/features/scheduling/views.js';
import { askAgain, toMenu, yesNo, yesOrNo } from './common.js';
import { aldermanName, changeFailed, kindText, moveTo, tellAlderman, timerEffects } from './book.js';
import { dateText, shortText, timeText } from './format.js';
import type { TimeWish } from '../src/understanding/time-wish.js';
import { fitsWish } from '../src/features/scheduling/slot-wish.js';

function bookings(ctx: StepContext): BookingView[] {
  return ctx.data.bookings ?? [];
}

/** "Verzetten: di 8 dec 19:00", "Afzeggen: …". */
function pickLabel(ctx: StepContext, action: 'move' | 'cancel', b: BookingView): string {
  return ctx.t(`appointments.${action}`, { when: shortText(ctx, b.start) });
}

/**
 * The resident's upcoming bookings, each with a move and a cancel choice. With one booking, a
 * message that asked to cancel or to move it ("ik wil mijn afspraak afzeggen", "kan ik mijn afspraak
 * verzetten naar januari?") goes there at once: the cancel is still asked ("Wilt u … afzeggen?"),
 * and a move shows other times (those of a wish it named).
 */
function listed(ctx: StepContext, result: ServiceResult<BookingView[]>): Transition {
  const list = result.ok ? result.value : [];
  if (list.length === 0) return toMenu({ say: [ctx.t('appointments.none')] });
  const [only] = list;
  const change = ctx.input?.change;
  if (only && list.length === 1 && change)
    return change === 'move' ? moveTo(only, newTimeWish(ctx, only)) : askCancel(ctx, only);
  const lines = list.map((b) => `• ${ctx.t('appointments.line', vars(ctx, b))}`);
  const choices = list.flatMap((b) => [
    { id: `move:${b.id}`, label: pickLabel(ctx, 'move', b) },
    { id: `cancel:${b.id}`, label: pickLabel(ctx, 'cancel', b) },
  ]);
  return {
    data: { bookings: list },
    say: [
      {
        text: [ctx.t('appointments.list'), ...lines].join('\n'),
        choices: [...choices, { id: 'menu', label: ctx.t('core.back_to_menu') }],
      },
    ],
    goto: 'pick',
  };
}

/** The booking is cancelled (its reminders dropped), or it could no longer be. */
function cancelled(
  ctx: StepContext,
  result: ServiceResult<{ booking: BookingView; dropped: string[] }>,
): Transition {
  if (!result.ok) return changeFailed(ctx, result.code);
  const effects = [
    ...timerEffects([], result.value.dropped),
    tellAlderman(result.value.booking, 'cancelled'),
  ];
  return toMenu({ say: [ctx.t('appointments.cancelled')], effects });
}

/**
 * The wish the message names for the new time ("naar januari"), unless the booking itself fits it:
 * "mijn afspraak van 18 december verzetten" names the booking, not the new time.
 */
function newTimeWish(ctx: StepContext, booking: BookingView): TimeWish | undefined {
  const wish = ctx.input?.timeWish;
  const own = { start: new Date(booking.start), kind: booking.kind };
  return wish && !fitsWish(own, wish, ctx.municipality.timeZone) ? wish : undefined;
}

/** "Wilt u uw afspraak van … afzeggen?": a cancel is always asked first. */
function askCancel(ctx: StepContext, booking: BookingView): Transition {
  const choices = yesNo(ctx, 'appointments.cancel_yes', 'appointments.cancel_no', true);
  const known = bookings(ctx).some((b) => b.id === booking.id);
  return {
    // The booking stays at hand: "nee, ik wil hem verzetten" moves it.
    data: { cancelling: booking.id, ...(known ? {} : { bookings: [booking] }) },
    say: [{ text: ctx.t('appointments.cancel_confirm', vars(ctx, booking)), choices }],
    goto: 'cancel',
  };
}

function vars(ctx: StepContext, b: BookingView) {
  return {
    reference: b.reference,
    date: dateText(ctx, b.start),
    time: timeText(ctx, b.start),
    alderman: aldermanName(ctx, b.aldermanId),
    kind: kindText(ctx, b.kind),
  };
}

/** "mijn afspraken": the resident's upcoming bookings, each to move or cancel (until the deadline). */
export const myAppointmentsFlow: Flow = {
  name: 'my-appointments',
  // It starts with a list, which is safe to ask for twice.
  repeatable: true,
  start: 'list',
  label: 'dashboard.flow.my-appointments',
  intents: ['my-appointments', 'other-time'],
  menu: { order: 25, label: 'appointments.menu' },
  steps: {
    list: {
      enter: () => ({ call: call('bookings.upcoming', {}, listed) }),
    },
    pick: {
      label: 'dashboard.flow_step.my-appointments.pick',
      relabel: (ctx, choice) => {
        if (choice.id === 'menu') return ctx.t('core.back_to_menu');
        const [action, id] = choice.id.split(':');
        const booking = bookings(ctx).find((b) => b.id === id);
        return booking && (action === 'move' || action === 'cancel')
          ? pickLabel(ctx, action, booking)
          : undefined;
      },
      answer: (ctx, input) => {
        const [action, id] = (input.choice?.id ?? '').split(':');
        if (input.choice?.id === 'menu') return toMenu();
        const booking = bookings(ctx).find((b) => b.id === id);
        if (!booking) return askAgain(ctx);
        // A tapped "Verzetten: vr 18 dec, 09:00" names the booking's own date: no wish.
        return action === 'move' ? moveTo(booking) : askCancel(ctx, booking);
      },
    },
    cancel: {
      label: 'dashboard.flow_step.my-appointments.cancel',
      relabel: (ctx, choice) =>
        choice.id === 'yes' || choice.id === 'no' ? ctx.t(`appointments.cancel_${choice.id}`) : undefined,
      answer: (ctx, input) => {
        // "nee, ik wil hem verzetten": a move instead (with a wish it names), not "blijft staan".
        const booking = bookings(ctx).find((b) => b.id === ctx.data.cancelling);
        if (input.change === 'move' && booking) return moveTo(booking, newTimeWish(ctx, booking));
        const yes = yesOrNo(input);
        if (yes === true && ctx.data.cancelling !== undefined)
          return { call: call('bookings.cancel', { bookingId: ctx.data.cancelling }, cancelled) };
        if (yes === false) return toMenu({ say: [ctx.t('appointments.kept')] });
        // The question again, so the resident sees which appointment the buttons are about.
        return askAgain(ctx, booking ? ctx.t('appointments.cancel_confirm', vars(ctx, booking)) : undefined);
      },
    },
  },
};
