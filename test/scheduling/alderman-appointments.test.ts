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
  });
}
