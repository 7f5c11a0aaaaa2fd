import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translator.js';
import { escapeHtml } from '../../src/shared/html.js';
import { dashboardHttp } from '../support/dashboard-http.js';
import { freshDashboardServerPerTest } from '../support/dashboard-server.js';
import { databaseKinds } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';

/**
 * Regression: erasing a resident on `/dashboard/privacy` also closed (and anonymised) their own
 * unanswered erasure request, so they never got an answer. Over real HTTP with the whole service on
 * SQLite and on PostgreSQL: while the request is open, both the preview and the confirmed erasure
 * are refused (409) with a link to the request to answer first, and nothing is erased or logged;
 * answered, it is still refused while a message to the resident is on its way; then it goes through,
 * with a message WhatsApp holds for the resident named in the preview and erased with the rest.
 */
const startServer = freshDashboardServerPerTest();
const t = translator(shippedTexts, 'nl');
const RESIDENT = { channel: 'console', user: 'r6' };
/** The preview's and the erased page's line for the messages WhatsApp holds, listed in words. */
const heldLine = `${escapeHtml(t('dashboard.privacy.table.held_messages'))}: 1`;

describe.each(databaseKinds)(
  'erasure held by an open privacy request, over HTTP on $kind',
  ({ kind, available }) => {
    it.skipIf(!available)(
      'refused with a link to the request while it is open, and while the answer is on its way; erased after',
      { timeout: 240_000 },
      async () => {
        const s = await startServer(kind);
        const { id } = await s.addAccount({ email: 'anne@rijswijk.nl', name: 'Anne Admin', role: 'admin' });
        const { driver, app } = s.t;
        const said = [
          ...(await driver.send('r6', 'hallo')),
          ...(await driver.send('r6', 'verwijder mijn gegevens')),
          ...(await driver.send('r6', 'ja')),
        ];
        const reference = /RSW-\d{4}-\d{6}/.exec(said.map((m) => m.text).join('\n'))?.[0] ?? '';
        expect(reference).not.toBe('');
        const address = { channel: 'console', userId: 'r6' };
        const kept = () => app.uow.run((r) => r.conversations.hasConversation(address));

        const anne = dashboardHttp(s.url);
        await anne.signIn('anne@rijswijk.nl');
        const held = t('dashboard.privacy.held', { who: 'console:r6' });
        for (const form of [RESIDENT, { ...RESIDENT, confirm: 'yes' }]) {
          await anne.get('/dashboard/privacy');
          const refused = await anne.post('/dashboard/privacy/erase', form);
          expect(refused.status).toBe(409);
          expect(refused.text).toContain(held);
          expect(refused.text).toContain(t('dashboard.privacy.held_then'));
          expect(refused.text).toContain(`<a class="utrecht-link" href="/dashboard/cases/${reference}">`);
          // No way on from here but answering: no confirm button, no counts.
          expect(refused.text).not.toContain('name="confirm"');
          expect(refused.text).not.toContain(t('dashboard.privacy.erased'));
        }
        expect(await kept()).toBe(true);
        // The refused preview showed nothing, so it is no access either: the privacy log is empty.
        expect(await app.commands.privacy.log(10)).toEqual([]);

        const admin = { id, name: 'Anne Admin', role: 'admin' as const };
        await app.commands.cases.answer(admin, reference, { text: 'Wij wissen vandaag al uw gegevens.' });
        await app.settle();
        // Answered, but a message to them not sent yet (a slow channel): refused until it went out.
        const now = s.t.clock.now();
        const [slow] = await app.uow.run((r) =>
          r.conversations.addToOutbox(
            [{ kind: 'message', to: address, text: 'Nog onderweg.' }],
            now,
            new Date(now.getTime() + 3_600_000),
          ),
        );
        await anne.get('/dashboard/privacy');
        const sending = await anne.post('/dashboard/privacy/erase', { ...RESIDENT, confirm: 'yes' });
        expect(sending.status).toBe(409);
        expect(sending.text).toContain(t('dashboard.privacy.held_sending', { who: 'console:r6' }));
        expect(sending.text).not.toContain(held);
        expect(await kept()).toBe(true);
        await app.uow.run((r) => r.conversations.markDelivered([slow!.id], now));
        // Held instead of sent (WhatsApp's 24-hour window: the channel's store holds it, the outbox item
        // counts as delivered): that does not hold the erasure, but the preview says it goes with it.
        await app.uow.run((r) =>
          r.held.hold({ to: address, outboxId: slow!.id, text: 'Nog onderweg.', now }),
        );
        const heldNote = t('dashboard.privacy.held_whatsapp', { count: 1, who: 'console:r6' });
        await anne.get('/dashboard/privacy');
        const preview = await anne.post('/dashboard/privacy/erase', RESIDENT);
        expect(preview.status).toBe(200);
        expect(preview.text).toContain('name="confirm"');
        expect(preview.text).toContain(heldLine);
        expect(preview.text).toContain(heldNote);
        const erased = await anne.post('/dashboard/privacy/erase', { ...RESIDENT, confirm: 'yes' });
        expect(erased.status).toBe(200);
        expect(erased.text).toContain(t('dashboard.privacy.erased'));
        expect(erased.text).toContain(heldLine);
        expect(await kept()).toBe(false);
        expect(await app.uow.run((r) => r.held.heldFor(address, 10))).toEqual([]);
      },
    );

    it.skipIf(!available)(
      'a WhatsApp resident is found by the number typed as the page asks (+31 6 …), not only by their stored id',
      { timeout: 240_000 },
      async () => {
        const s = await startServer(kind);
        await s.addAccount({ email: 'anne@rijswijk.nl', name: 'Anne Admin', role: 'admin' });
        const address = { channel: 'whatsapp', userId: '31612340088@c.us' };
        await s.t.app.uow.run((r) =>
          r.held.hold({ to: address, outboxId: null, text: 'Uw antwoord.', now: s.t.clock.now() }),
        );
        const anne = dashboardHttp(s.url);
        await anne.signIn('anne@rijswijk.nl');
        const typed = { channel: 'whatsapp', user: '+31 6 1234 0088' };
        await anne.get('/dashboard/privacy');
        const preview = await anne.post('/dashboard/privacy/erase', typed);
        expect(preview.status).toBe(200);
        expect(preview.text).toContain(t('dashboard.privacy.preview', { who: 'whatsapp:31612340088@c.us' }));
        expect(preview.text).toContain(heldLine);
        const erased = await anne.post('/dashboard/privacy/erase', { ...typed, confirm: 'yes' });
        expect(erased.text).toContain(heldLine);
        expect(await s.t.app.uow.run((r) => r.held.heldFor(address, 10))).toEqual([]);
      },
    );
  },
);
