import { afterEach, describe, expect, it } from 'vitest';
import { startOnFreshDatabase } from '../support/app-driver.js';
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
  },
);
