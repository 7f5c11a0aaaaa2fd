import type { ServiceResult } from '../src/ports/services.js';
import type { AldermanBookingView } from '../src/features/scheduling/agenda.js';
import { maskSensitive } from '../src/features/cases/sensitive.js';
import { localDateOf } from '../src/shared/local-date.js';
import { call, type EventHandler, type Flow, type StepContext, type Transition } from './types.js';
import { kindText } from './book.js';
import { toMenu } from './common.js';
import { shortText, timeText } from './format.js';

/** How many appointments the chat lists; the dashboard's agenda has the rest. */
const SHOWN = 10;

/** "vandaag 19:00" for today's, "di 8 dec 19:00" for later ones, in the alderman's time zone. */
function whenText(ctx: StepContext, start: number): string {
  const zone = ctx.municipality.timeZone;
  const today = localDateOf(ctx.now, zone) === localDateOf(new Date(start), zone);
  return today ? ctx.t('staff.appointments.today', { time: timeText(ctx, start) }) : shortText(ctx, start);
}

/** The kind, and the place beside it when it says more than the kind ("in het raadhuis, Bogaardplein 15"). */
function kindAndPlace(ctx: StepContext, b: AldermanBookingView): string {
  const kind = kindText(ctx, b.kind);
  const fold = (text: string) => text.trim().toLocaleLowerCase('nl');
  if (b.kind === 'chat' || fold(b.place) === fold(kind) || fold(b.place) === b.kind || !b.place.trim())
    return kind;
  return `${kind}, ${b.place}`;
}

function lineVars(ctx: StepContext, b: AldermanBookingView) {
  return {
    when: whenText(ctx, b.start),
    kind: kindAndPlace(ctx, b),
    name: b.firstName ?? ctx.t('staff.appointments.resident'),
    // As a question in "vragen": what a resident typed is shown with numbers masked.
    topic: maskSensitive(b.topic),
  };
}

function line(ctx: StepContext, b: AldermanBookingView): string {
  return `• ${ctx.t('staff.appointments.line', lineVars(ctx, b))}`;
}

function listed(
  ctx: StepContext,
  result: ServiceResult<{ bookings: AldermanBookingView[]; more: boolean }>,
): Transition {
  if (!result.ok) return toMenu({ say: [ctx.t('staff.only')] });
  const { bookings, more } = result.value;
  if (bookings.length === 0) return toMenu({ say: [ctx.t('staff.appointments.none')] });
  const lines = [ctx.t('staff.appointments.list'), ...bookings.map((b) => line(ctx, b))];
  if (more) lines.push(ctx.t('staff.appointments.more'));
  return toMenu({ say: [lines.join('\n')] });
}

/**
 * "afspraken" from an alderman's own chat: their booked appointments not over yet, today's first
 * (the earliest first), at most ten, with the resident's first name and topic.
 */
export const staffAppointmentsFlow: Flow = {
  name: 'staff-appointments',
  start: 'list',
  label: 'dashboard.flow.staff-appointments',
  staffOnly: true,
  // Not "mijn afspraken": that is the menu's choice for the appointments one books as a resident.
  commands: ['afspraken', 'appointments'],
  steps: {
    list: {
      enter: () => ({ call: call('bookings.alderman-upcoming', { limit: SHOWN }, listed) }),
    },
  },
};

/** To the alderman's chat: a resident booked, moved or cancelled an appointment with them. */
export const staffBookingEvents: { 'booking.alderman': EventHandler<'booking.alderman'> } = {
  'booking.alderman': (ctx, p) => ({
    say: [ctx.t(`staff.booking.${p.change}`, lineVars(ctx, p.booking))],
  }),
};
