import type { ServiceResult } from '../src/ports/services.js';
import { call, type Flow, type StepContext, type Transition } from './types.js';
import type { BookingView } from '../src/features/scheduling/views.js';
import { askAgain, toMenu, yesNo, yesOrNo } from './common.js';
import { aldermanName, changeFailed, kindText, tellAlderman, timerEffects } from './book.js';
import { dateText, shortText, timeText } from './format.js';

function bookings(ctx: StepContext): BookingView[] {
  return ctx.data.bookings ?? [];
}

/** "Verzetten: di 8 dec 19:00", "Afzeggen: …". */
function pickLabel(ctx: StepContext, action: 'move' | 'cancel', b: BookingView): string {
  return ctx.t(`appointments.${action}`, { when: shortText(ctx, b.start) });
}

/** The resident's upcoming bookings, each with a move and a cancel choice. */
function listed(ctx: StepContext, result: ServiceResult<BookingView[]>): Transition {
  const list = result.ok ? result.value : [];
  if (list.length === 0) return toMenu({ say: [ctx.t('appointments.none')] });
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
        if (action === 'move') {
          return {
            goto: { flow: 'book', step: 'start' },
            data: { moving: booking.id, aldermanId: booking.aldermanId, topic: booking.topic },
          };
        }
        const choices = yesNo(ctx, 'appointments.cancel_yes', 'appointments.cancel_no', true);
        return {
          data: { cancelling: booking.id },
          say: [{ text: ctx.t('appointments.cancel_confirm', vars(ctx, booking)), choices }],
          goto: 'cancel',
        };
      },
    },
    cancel: {
      label: 'dashboard.flow_step.my-appointments.cancel',
      relabel: (ctx, choice) =>
        choice.id === 'yes' || choice.id === 'no' ? ctx.t(`appointments.cancel_${choice.id}`) : undefined,
      answer: (ctx, input) => {
        const yes = yesOrNo(input);
        if (yes === true && ctx.data.cancelling !== undefined)
          return { call: call('bookings.cancel', { bookingId: ctx.data.cancelling }, cancelled) };
        if (yes === false) return toMenu({ say: [ctx.t('appointments.kept')] });
        return askAgain(ctx);
      },
    },
  },
};
