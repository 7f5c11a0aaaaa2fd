import { afterEach, describe, expect, it } from 'vitest';
import { bookFirstSlot, startOnFreshDatabase, type TestApp } from '../support/app-driver.js';
import type { SentMessage } from '../support/scenario.js';
import { databaseKinds } from '../support/services.js';
import { translator } from '../../src/i18n/translator.js';
import { shippedTexts } from '../support/texts.js';

const nl = translator(shippedTexts, 'nl');

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

/** The whole service; a1 is Fatma Yilmaz's own chat, a2 Anna de Vries's, each linked with a code. */
const start = (kind: 'sqlite' | 'postgres'): Promise<TestApp> =>
  startOnFreshDatabase(kind, stops, { a1: 'fatma-yilmaz', a2: 'anna-de-vries' });

const textsTo = (sent: SentMessage[], to: string) => sent.filter((m) => m.to === to).map((m) => m.text);
/** The first booking's line in a notice: Friday 4 December 09:00, a chat session, "De speeltuin". */
const VARS = { when: 'vr 4 dec, 09:00', kind: 'chat', name: 'inwoner', topic: 'De speeltuin' };
const linesTo = async (t: TestApp, who: string, text: string) =>
  (textsTo(await t.driver.send(who, text), who)[0] ?? '').split('\n');

for (const { kind, available } of databaseKinds) {
  describe.skipIf(!available)(`an alderman sees their appointments in their own chat (${kind})`, () => {
    it('lists the booking a resident made, today’s as today, and only to its own alderman', async () => {
      const t = await start(kind);
      expect((await linesTo(t, 'a1', 'afspraken'))[0]).toBe(nl('staff.appointments.none'));

      await bookFirstSlot(t.driver, 'r1');
      // (The same word twice in a row is taken as a double send.)
      const lines = await linesTo(t, 'a1', 'appointments');
      expect(lines[0]).toBe(nl('staff.appointments.list'));
      // Friday 4 December 09:00, a chat session, no first name on the console channel.
      expect(lines[1]).toBe(
        `• vr 4 dec, 09:00 · chat · ${nl('staff.appointments.resident')}: “De speeltuin”`,
      );
      expect(lines).toHaveLength(2);

      // Another alderman does not see it; the resident's own "afspraken" is theirs, not the alderman's.
      expect((await linesTo(t, 'a2', 'afspraken'))[0]).toBe(nl('staff.appointments.none'));
      expect((await linesTo(t, 'r1', 'afspraken'))[0]).toBe(nl('appointments.list'));

      // On the day itself, before it starts, it is today's.
      await t.driver.advance!(Date.parse('2026-12-04T07:00:00Z') - t.clock.now().getTime());
      // (After three quiet days the chat says it starts again, in a message of its own first.)
      const today = textsTo(await t.driver.send('a1', 'afsrpaken'), 'a1')
        .join('\n')
        .split('\n');
      expect(today).toContain(
        `• ${nl('staff.appointments.today', { time: '09:00' })} · chat · ${nl('staff.appointments.resident')}: “De speeltuin”`,
      );
    });

    it('a cancelled booking leaves the list', async () => {
      const t = await start(kind);
      await bookFirstSlot(t.driver, 'r1');
      expect(await linesTo(t, 'a1', 'afspraken')).toHaveLength(2);
      for (const text of ['afspraken', 'Afzeggen: vr 4 dec, 09:00', 'Ja, afzeggen'])
        await t.driver.send('r1', text);
      expect((await linesTo(t, 'a1', 'appointments'))[0]).toBe(nl('staff.appointments.none'));
    });

    it('tells the alderman’s chat when a resident books and cancels, once each, after the resident’s reply', async () => {
      const t = await start(kind);
      const booked = await bookFirstSlot(t.driver, 'r1');
      await t.app.settle();
      const vars = {
        when: 'vr 4 dec, 09:00',
        kind: 'chat',
        name: nl('staff.appointments.resident'),
        topic: 'De speeltuin',
      };
      // The resident's reply is theirs alone; the alderman's notice comes from its job.
      expect(textsTo(booked, 'r1').join('\n')).not.toContain(nl('staff.booking.booked', vars));
      expect(textsTo(t.sent, 'a1').filter((m) => m === nl('staff.booking.booked', vars))).toHaveLength(1);
      expect(textsTo(t.sent, 'a2').join('\n')).not.toContain('De speeltuin');

      for (const text of ['afspraken', 'Afzeggen: vr 4 dec, 09:00', 'Ja, afzeggen'])
        await t.driver.send('r1', text);
      await t.app.settle();
      expect(textsTo(t.sent, 'a1').filter((m) => m === nl('staff.booking.cancelled', vars))).toHaveLength(1);
      expect(textsTo(t.sent, 'a1').filter((m) => m === nl('staff.booking.booked', vars))).toHaveLength(1);
    });

    it('tells the alderman’s chat once when a resident who stops cancels their appointment that way', async () => {
      const t = await start(kind);
      await bookFirstSlot(t.driver, 'r1');
      await t.driver.send('r1', 'stop');
      await t.driver.send('r1', 'Ja, stop');
      await t.app.settle();
      const [booking] = await t.app.uow.run((r) =>
        r.bookings.listByStart({ from: new Date(0), until: new Date('2027-01-01'), statuses: ['cancelled'] }),
      );
      expect(booking?.residentKey).toBe('console:r1');
      const cancelled = nl('staff.booking.cancelled', VARS);
      expect(textsTo(t.sent, 'a1').filter((m) => m === cancelled)).toHaveLength(1);
      expect(textsTo(t.sent, 'a2').join('\n')).not.toContain('De speeltuin');
    });

    it('tells the alderman’s chat in one notice, after the grace period, when the municipality cancels', async () => {
      const t = await start(kind);
      await bookFirstSlot(t.driver, 'r1');
      await bookFirstSlot(t.driver, 'r2');
      await t.app.settle();
      const held = await t.app.uow.run((r) =>
        r.bookings.listByStart({ from: new Date(0), until: new Date('2027-01-01'), statuses: ['active'] }),
      );
      expect(held).toHaveLength(2);
      // The day is called off (as `hours cancel` does from the CLI): both bookings of Friday go.
      const { cancellation } = await t.app.commands.scheduling.cancelDay({
        aldermanId: 'fatma-yilmaz',
        localDate: '2026-12-04',
        reason: 'ziek',
        actor: 'cli',
      });
      await t.app.settle();
      const heading = nl('staff.booking.cancelled_by_municipality', { count: 2 });
      // Not before the grace period is over: an undo must not leave a notice behind.
      expect(textsTo(t.sent, 'a1').join('\n')).not.toContain(heading);
      await t.driver.advance!(cancellation.tellAt.getTime() - t.clock.now().getTime());
      await t.app.settle();
      const notices = textsTo(t.sent, 'a1').filter((m) => m.startsWith(heading));
      expect(notices).toHaveLength(1);
      expect(notices[0]?.split('\n')).toEqual([
        heading,
        `• vr 4 dec, 09:00 · chat · ${nl('staff.appointments.resident')}: “De speeltuin”`,
        `• vr 4 dec, 09:10 · chat · ${nl('staff.appointments.resident')}: “De speeltuin”`,
        nl('staff.booking.reason', { reason: 'ziek' }),
        nl('staff.booking.residents_told', { count: 2 }),
      ]);
      // The resident's own cancellation notice is not used: the municipality cancelled.
      expect(textsTo(t.sent, 'a1')).not.toContain(nl('staff.booking.cancelled', VARS));
      expect(textsTo(t.sent, 'a2').join('\n')).not.toContain('De speeltuin');
    });

    // Regression: an alderman who cancelled from their own dashboard account was told in their chat
    // "De gemeente heeft een afspraak met u afgezegd", as if someone else had done it. The dashboard
    // said it was done (with the undo); the chat says nothing more. An operator's cancellation is
    // still told as the municipality's.
    it.each([
      ['the alderman themselves', 'nothing more', 'alderman:fatma-yilmaz', false],
      ['an operator', 'the municipality notice', 'operator', true],
      ['another alderman’s account', 'the municipality notice', 'alderman:anna-de-vries', true],
    ] as const)(
      'a booking cancelled in the dashboard by %s: the alderman’s chat gets %s',
      async (_who, _gets, role, told) => {
        const t = await start(kind);
        await bookFirstSlot(t.driver, 'r1');
        await t.app.settle();
        const [booking] = await t.app.uow.run((r) => r.bookings.activeForResident('console:r1', new Date(0)));
        const { account } = await t.app.commands.accounts.add(
          { email: 'staff@rijswijk.nl', name: 'Staff', role, password: 'a-long-enough-password-1' },
          'test',
        );
        const before = t.sent.length;
        const { cancellation } = await t.app.commands.scheduling.cancelBooking({
          bookingId: booking!.id,
          reason: 'ziek',
          actor: `staff:${account.id}`,
        });
        await t.driver.advance!(cancellation.tellAt.getTime() - t.clock.now().getTime());
        await t.app.settle();
        const heading = nl('staff.booking.cancelled_by_municipality', { count: 1 });
        expect(textsTo(t.sent, 'a1').filter((m) => m.startsWith(heading))).toHaveLength(told ? 1 : 0);
        // Nor anything else about it; the resident is told in every case.
        expect(textsTo(t.sent.slice(before), 'a1')).toHaveLength(told ? 1 : 0);
        expect(textsTo(t.sent.slice(before), 'r1').join('\n')).toContain('ziek');
      },
    );

    // Regression: erasing a resident's data cancelled their appointments, and the alderman was not told.
    it('tells the alderman’s chat, once and with only the slot, when an erasure cancels the resident’s appointment', async () => {
      const t = await start(kind);
      await bookFirstSlot(t.driver, 'r1');
      await t.app.settle();
      const before = t.sent.length;
      await t.app.commands.privacy.erase({ channel: 'console', userId: 'r1' }, 'test');
      await t.app.settle();
      const told = textsTo(t.sent.slice(before), 'a1');
      expect(told).toEqual([nl('staff.booking.cancelled_erased', { when: VARS.when, kind: VARS.kind })]);
      // Nothing of the resident: no topic, no name.
      expect(told.join('\n')).not.toContain('De speeltuin');
      expect(textsTo(t.sent.slice(before), 'a2')).toEqual([]);
      expect(textsTo(t.sent.slice(before), 'r1')).toEqual([]);
      const [cancelled] = await t.app.uow.run((r) =>
        r.bookings.listByStart({ from: new Date(0), until: new Date('2027-01-01'), statuses: ['cancelled'] }),
      );
      expect(cancelled?.residentKey).not.toBe('console:r1');
      // The slot is free again, and nothing more comes later (no second notice, no resident cancel notice).
      await t.driver.advance!(Date.parse('2026-12-04T07:00:00Z') - t.clock.now().getTime());
      await t.app.settle();
      expect(textsTo(t.sent.slice(before), 'a1')).toEqual(told);
    });

    it('does not tell the alderman of a cancellation whose slot began before the residents were told', async () => {
      const t = await start(kind);
      await bookFirstSlot(t.driver, 'r1');
      await t.app.settle();
      const [booking] = await t.app.uow.run((r) => r.bookings.activeForResident('console:r1', new Date(0)));
      // 08:59 on Friday: the grace period (two minutes) runs past the slot's start at 09:00.
      await t.driver.advance!(Date.parse('2026-12-04T07:59:00Z') - t.clock.now().getTime());
      const { cancellation } = await t.app.commands.scheduling.cancelBooking({
        bookingId: booking!.id,
        actor: 'cli',
      });
      await t.driver.advance!(cancellation.tellAt.getTime() - t.clock.now().getTime());
      await t.app.settle();
      expect((await t.app.uow.run((r) => r.hoursCancellations.findById(cancellation.id)))?.status).toBe(
        'told',
      );
      expect(textsTo(t.sent, 'a1').join('\n')).not.toContain(
        nl('staff.booking.cancelled_by_municipality', { count: 1 }),
      );
    });
  });
}
