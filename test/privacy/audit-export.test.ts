import { afterEach, describe, expect, it } from 'vitest';
import { bookFirstSlot, startOnFreshDatabase } from '../support/app-driver.js';
import { databaseKinds } from '../support/services.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

describe.each(databaseKinds)(
  'a resident’s access request and the audit log, on $kind',
  ({ kind, available }) => {
    // Regression: since the log names a conversation by its pseudonym (not the key with the phone
    // number), the export looked only for lines about the resident's cases: what staff saw and did in
    // their conversation (views, takeovers, the resident's own withdrawal) was missing from it.
    it.skipIf(!available)(
      'holds the lines about their conversation, and none about anyone else’s',
      async () => {
        const { app, driver } = await startOnFreshDatabase(kind, stops);
        for (const resident of ['anna', 'bob'])
          for (const text of ['hoi', 'medewerker', 'laat maar, hoeft niet meer'])
            await driver.send(resident, text);
        const about = (userId: string) => app.commands.audit.conversationSubject(`console:${userId}`);
        await app.commands.audit.append({
          actor: 'staff:olga',
          action: 'conversation.view',
          subject: about('anna'),
        });

        const document = await app.commands.privacy.export({ channel: 'console', userId: 'anna' }, 'test');
        const lines = (document.data.audit_log ?? []).map((l) => [l.actor, l.action, l.subject]);
        expect(lines).toEqual([
          ['staff:olga', 'conversation.view', about('anna')],
          ['resident', 'webcare.withdraw', about('anna')],
        ]);
      },
    );

    // Regression: the export looked for `case:<id>` lines, but every line about a case or booking
    // names it by its reference (`case:RSW-…`, `booking:AFS-…`): what staff saw and did with the
    // resident's question and appointment was missing from their access request.
    it.skipIf(!available)(
      'holds the lines about their cases and bookings, named by reference as the log names them',
      async () => {
        const { app, driver } = await startOnFreshDatabase(kind, stops);
        const booked = await bookFirstSlot(driver, 'anna');
        const booking = /AFS-[A-Z0-9-]+/.exec(booked.map((m) => m.text).join('\n'))?.[0];
        expect(booking).toBeDefined();
        for (const text of ['vraag', 'Mijn groene container is niet geleegd.', 'klaar', '1', '1'])
          await driver.send('anna', text);
        const cases = await app.uow.run((r) => r.cases.listForResident('console:anna'));
        expect(cases).toHaveLength(1);
        const question = cases[0]!.reference;
        await app.commands.audit.append({
          actor: 'staff:olga',
          action: 'case.view',
          subject: `case:${question}`,
        });
        await app.commands.audit.append({
          actor: 'staff:olga',
          action: 'live.open',
          subject: `booking:${booking}`,
        });
        // Another resident's case, in the same log.
        await app.commands.audit.append({
          actor: 'staff:olga',
          action: 'case.view',
          subject: 'case:RSW-2026-999999',
        });

        const document = await app.commands.privacy.export({ channel: 'console', userId: 'anna' }, 'test');
        const lines = (document.data.audit_log ?? []).map((l) => [l.actor, l.action, l.subject]);
        expect(lines).toEqual(
          expect.arrayContaining([
            ['staff:olga', 'case.view', `case:${question}`],
            ['staff:olga', 'live.open', `booking:${booking}`],
          ]),
        );
        expect(lines.some(([, , about]) => about === 'case:RSW-2026-999999')).toBe(false);
      },
    );
  },
);
