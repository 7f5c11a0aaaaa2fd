import { describe, expect, it } from 'vitest';
import type { AldermanBookingView } from '../../src/features/scheduling/agenda.js';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness, type FakeServices } from '../support/flow-harness.js';
import { booking } from './fixtures.js';

/** A booking as the alderman's list gets it (no chat address). */
function held(overrides: Partial<AldermanBookingView> = {}): AldermanBookingView {
  const { id, reference, start, end, kind, place, topic, firstName } = booking(overrides);
  return { id, reference, start, end, kind, place, topic, firstName, ...overrides };
}

/** Tuesday 1 December 2026, 19:00 in Rijswijk: today, later than the harness's 10:00. */
const TONIGHT = Date.parse('2026-12-01T18:00:00Z');
const today = held({ id: 'b-0', start: TONIGHT, end: TONIGHT + 600_000, firstName: 'Bram' });
const later = held({
  id: 'b-2',
  kind: 'town-hall',
  place: 'Raadhuis, Bogaardplein 15',
  firstName: null,
  topic: 'Parkeren bij de school',
});

/** Anna de Vries, linked on Telegram, at the menu; console:anna is a resident. */
function alderman(services: FakeServices = {}) {
  const h = flowHarness({
    services: {
      'bookings.alderman-upcoming': () => ({ bookings: [today, held(), later], more: false }),
      'bookings.upcoming': () => [],
      ...services,
    },
  });
  const anna = h.chat('42', { channel: 'telegram', staff: { aldermanId: 'anna-de-vries' } });
  anna.send('hoi');
  const resident = h.chat('anna');
  resident.send('hoi');
  return { h, anna, resident };
}

describe('staff-appointments flow', () => {
  it('lists the alderman’s appointments, today’s first, with time, kind, place, first name and topic', () => {
    const { h, anna } = alderman();
    const turn = anna.send('afspraken');
    expect(turn.calls).toEqual([
      { service: 'bookings.alderman-upcoming', args: { limit: 10 }, by: 'telegram:42' },
    ]);
    expect(turn.text.split('\n')).toEqual([
      h.t('staff.appointments.list'),
      `• vandaag 19:00 · chat · Bram: “Bankje in het park”`,
      `• di 8 dec, 19:00 · chat · Anna: “Bankje in het park”`,
      `• di 8 dec, 19:00 · in het raadhuis, Raadhuis, Bogaardplein 15 · inwoner: “Parkeren bij de school”`,
      h.t('core.menu.prompt'),
    ]);
    expect(anna.at).toBe('menu/main');
  });

  it('lists them on a typo of "afspraken" and on "appointments"; a resident gets their own appointments', () => {
    const { h, anna, resident } = alderman();
    // Without the command, "afspraken" was the residents' "Mijn afspraken" for the alderman too.
    for (const typed of ['afsrpaken', 'Afspraken!', 'appointments', 'apointments']) {
      const turn = anna.send(typed);
      expect(turn.calls.map((c) => c.service)).toEqual(['bookings.alderman-upcoming']);
      expect(turn.text).toContain(h.t('staff.appointments.list'));
    }
    const own = resident.send('afspraken');
    expect(own.calls.map((c) => c.service)).toEqual(['bookings.upcoming']);
    expect(own.text.split('\n')[0]).toBe(h.t('appointments.none'));
  });

  it('says so when there are none, and points to the dashboard when there are more than ten', () => {
    const none = alderman({ 'bookings.alderman-upcoming': () => ({ bookings: [], more: false }) });
    expect(none.anna.send('afspraken').text.split('\n')[0]).toBe(none.h.t('staff.appointments.none'));
    const many = alderman({ 'bookings.alderman-upcoming': () => ({ bookings: [held()], more: true }) });
    expect(many.anna.send('afspraken').text.split('\n').at(-2)).toBe(many.h.t('staff.appointments.more'));
  });

  it('speaks the alderman’s language', () => {
    const { h, anna } = alderman();
    anna.send('english');
    const en = h.tIn('en');
    const lines = anna.send('appointments').text.split('\n');
    expect(lines[0]).toBe(en('staff.appointments.list'));
    expect(lines[1]).toBe(
      `• ${en('staff.appointments.today', { time: '19:00' })} · chat · Bram: “Bankje in het park”`,
    );
    expect(lines[3]).toContain(`· ${en('staff.appointments.resident')}: `);
  });

  it('says a refusal is for staff only, and the alderman’s help names "afspraken"', () => {
    const { h, anna } = alderman({
      'bookings.alderman-upcoming': () => {
        throw new DomainError('staff.only');
      },
    });
    expect(anna.send('afspraken').text.split('\n')[0]).toBe(h.t('staff.only'));
    expect(anna.send('hulp').text).toContain('• afspraken: ');
  });

  it('tells the alderman in their chat when a resident books, moves or cancels, in their language', () => {
    const { h, anna } = alderman();
    const vars = { kind: 'chat', name: 'Bram', topic: 'Bankje in het park' };
    expect(anna.fire('booking.alderman', { booking: today, change: 'booked' }).text).toContain(
      h.t('staff.booking.booked', { ...vars, when: 'vandaag 19:00' }),
    );
    expect(
      anna.fire('booking.alderman', { booking: held({ firstName: 'Bram' }), change: 'moved' }).text,
    ).toContain(h.t('staff.booking.moved', { ...vars, when: 'di 8 dec, 19:00' }));
    anna.send('english');
    const cancelled = anna.fire('booking.alderman', { booking: later, change: 'cancelled' }).text;
    expect(cancelled).toContain(
      h.tIn('en')('staff.booking.cancelled', {
        when: 'Tue 8 Dec, 19:00',
        kind: 'at the town hall, Raadhuis, Bogaardplein 15',
        name: 'resident',
        topic: 'Parkeren bij de school',
      }),
    );
  });

  it('says a phone appointment in the alderman’s language only, not "phone, Telefoon"', () => {
    const phone = held({ id: 'b-3', kind: 'phone', place: 'Telefoon', firstName: 'Bram' });
    const { h, anna } = alderman({
      'bookings.alderman-upcoming': () => ({ bookings: [phone, later], more: false }),
    });
    expect(anna.send('afspraken').text.split('\n')[1]).toBe(
      '• di 8 dec, 19:00 · telefoon · Bram: “Bankje in het park”',
    );
    anna.send('english');
    const lines = anna.send('appointments').text.split('\n');
    expect(lines[1]).toBe('• Tue 8 Dec, 19:00 · phone · Bram: “Bankje in het park”');
    // A town hall's place is its address, which stays.
    expect(lines[2]).toContain('· at the town hall, Raadhuis, Bogaardplein 15 ·');
    const en = h.tIn('en');
    const vars = { when: 'Tue 8 Dec, 19:00', kind: 'phone', name: 'Bram', topic: 'Bankje in het park' };
    expect(anna.fire('booking.alderman', { booking: phone, change: 'booked' }).text).toContain(
      en('staff.booking.booked', vars),
    );
  });

  it('tells the alderman in one notice which appointments the municipality cancelled, with the reason', () => {
    const { h, anna } = alderman();
    const one = anna.fire('booking.alderman-cancelled', { bookings: [today], reason: null }).text;
    expect(one.split('\n').slice(0, 3)).toEqual([
      h.t('staff.booking.cancelled_by_municipality', { count: 1 }),
      '• vandaag 19:00 · chat · Bram: “Bankje in het park”',
      h.t('staff.booking.residents_told', { count: 1 }),
    ]);
    expect(one).toContain('De gemeente heeft een afspraak met u afgezegd:');
    anna.send('english');
    const en = h.tIn('en');
    const two = anna.fire('booking.alderman-cancelled', { bookings: [today, later], reason: ' ziek ' }).text;
    expect(two.split('\n').slice(0, 5)).toEqual([
      en('staff.booking.cancelled_by_municipality', { count: 2 }),
      '• today 19:00 · chat · Bram: “Bankje in het park”',
      '• Tue 8 Dec, 19:00 · at the town hall, Raadhuis, Bogaardplein 15 · resident: “Parkeren bij de school”',
      en('staff.booking.reason', { reason: 'ziek' }),
      en('staff.booking.residents_told', { count: 2 }),
    ]);
  });

  it('tells the alderman of an appointment an erasure cancelled with only its slot, in their language', () => {
    const { h, anna } = alderman();
    const slot = { start: later.start, kind: later.kind, place: later.place };
    expect(anna.fire('booking.alderman-erased', { slot }).text).toBe(
      'Een afspraak met u is afgezegd: di 8 dec, 19:00 · in het raadhuis, Raadhuis, Bogaardplein 15',
    );
    anna.send('english');
    expect(anna.fire('booking.alderman-erased', { slot }).text).toBe(
      h.tIn('en')('staff.booking.cancelled_erased', {
        when: 'Tue 8 Dec, 19:00',
        kind: 'at the town hall, Raadhuis, Bogaardplein 15',
      }),
    );
  });
});
