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

/**
 * The kind in the alderman's language, and beside a town hall's its address ("in het raadhuis,
 * Bogaardplein 15"). A chat or phone session's `place` in the hours data is a label in the data's
 * own language ("WhatsApp", "Telefoon"), not an address: shown beside the kind it would say the
 * kind again, in English as "phone, Telefoon".
 */
function kindAndPlace(ctx: StepContext, b: Pick<AldermanBookingView, 'kind' | 'place'>): string {
  const kind = kindText(ctx, b.kind);
  const fold = (text: string) => text.trim().toLocaleLowerCase('nl');
  if (b.kind !== 'town-hall' || !b.place.trim() || fold(b.place) === fold(kind)) return kind;
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
  title: 'staff.title.appointments',
  // It starts with a list, which is safe to ask for twice.
  repeatable: true,
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

/** The municipality cancelled appointments of the alderman: one notice with a line for each. */
function municipalityCancelled(
  ctx: StepContext,
  p: { bookings: AldermanBookingView[]; reason: string | null },
): string[] {
  const count = p.bookings.length;
  const lines = [
    ctx.t('staff.booking.cancelled_by_municipality', { count }),
    ...p.bookings.map((b) => line(ctx, b)),
  ];
  if (p.reason?.trim()) lines.push(ctx.t('staff.booking.reason', { reason: p.reason.trim() }));
  lines.push(ctx.t('staff.booking.residents_told', { count }));
  return [lines.join('\n')];
}

/**
 * To the alderman's chat: a resident booked, moved or cancelled an appointment, the municipality
 * cancelled some, or one is off because its resident's data was erased (then only the slot).
 */
export const staffBookingEvents: {
  'booking.alderman': EventHandler<'booking.alderman'>;
  'booking.alderman-cancelled': EventHandler<'booking.alderman-cancelled'>;
  'booking.alderman-erased': EventHandler<'booking.alderman-erased'>;
} = {
  'booking.alderman': (ctx, p) => ({
    say: [ctx.t(`staff.booking.${p.change}`, lineVars(ctx, p.booking))],
  }),
  'booking.alderman-cancelled': (ctx, p) => ({ say: municipalityCancelled(ctx, p) }),
  'booking.alderman-erased': (ctx, p) => ({
    say: [
      ctx.t('staff.booking.cancelled_erased', {
        when: whenText(ctx, p.slot.start),
        kind: kindAndPlace(ctx, p.slot),
      }),
    ],
  }),
};
