import type { CaseView } from '../../src/features/cases/views.js';
import type { BookingTimer, BookingView, SlotView } from '../../src/features/scheduling/views.js';
import { flowHarness, type HarnessOptions } from '../support/flow-harness.js';

/** Tuesday 8 December 2026, 19:00 in Rijswijk: a consultation evening a week after the harness's start. */
export const EVENING = Date.parse('2026-12-08T18:00:00Z');
const TEN_MINUTES = 10 * 60_000;

/** A free slot of Anna de Vries (chat, 10 minutes) `n` slots after 19:00 on 8 December. */
export function slot(n = 0, overrides: Partial<SlotView> = {}): SlotView {
  const start = EVENING + n * TEN_MINUTES;
  return {
    aldermanId: 'anna-de-vries',
    start,
    end: start + TEN_MINUTES,
    kind: 'chat',
    place: 'WhatsApp',
    ...overrides,
  };
}

/** A booking of resident `console:anna` with Anna de Vries, 19:00 on 8 December. */
export function booking(overrides: Partial<BookingView> = {}): BookingView {
  return {
    id: 'b-1',
    reference: 'AFS-2026-0001',
    aldermanId: 'anna-de-vries',
    start: EVENING,
    end: EVENING + TEN_MINUTES,
    kind: 'chat',
    place: 'WhatsApp',
    topic: 'Bankje in het park',
    status: 'active',
    residentKey: 'console:anna',
    firstName: 'Anna',
    icsUrl: 'https://spreekuur.example/calendar/tok.ics',
    ...overrides,
  };
}

/** The timers a booking gets (as the scheduling feature makes them). */
export function timers(b: BookingView): BookingTimer[] {
  const kinds = [
    ['day-before', b.start - 86_400_000],
    ['hour-before', b.start - 3_600_000],
    ['start', b.start],
    ['end', b.end + 60_000],
  ] as const;
  return kinds.map(([kind, runAt]) => ({
    jobId: `booking.${kind}.${b.id}.${b.start}`,
    runAt,
    data: { bookingId: b.id, kind, slotStart: b.start },
  }));
}

/** A case of resident `console:anna` about waste in Muziekbuurt, assigned to Anna de Vries. */
export function caseOf(overrides: Partial<CaseView> = {}): CaseView {
  return {
    id: 'c-1',
    reference: 'RSW-2026-000042',
    topic: 'afval',
    status: 'routed',
    districtId: 'muziekbuurt',
    text: 'De container in mijn straat is al een week vol.',
    kind: 'question',
    proposal: null,
    stage: null,
    answer: null,
    answerBy: Date.parse('2026-12-15T16:00:00Z'),
    answeredAt: null,
    reopenedCount: 0,
    assignee: { type: 'alderman', id: 'anna-de-vries' },
    residentKey: 'console:anna',
    ...overrides,
  };
}

/** Anna, who let us remember her district (2282AB: Muziekbuurt, Anna de Vries), at the menu. */
export function remembered(options: HarnessOptions = {}) {
  const h = flowHarness(options);
  const anna = h.chat('anna');
  anna.send('hoi');
  anna.send('2282AB');
  anna.send('ja');
  return { h, anna };
}

/** Anna (district remembered from 2282AB) at the booking's list of free times: two, from 19:00. */
export function atFreeTimes() {
  const { h, anna } = remembered({ services: { 'bookings.free': () => [slot(0), slot(1)] } });
  anna.send('afspraak');
  const slots = anna.press(/Anna de Vries/);
  return { h, anna, slots };
}
