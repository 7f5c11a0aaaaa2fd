import { afterEach, describe, expect, it } from 'vitest';
import type { CaseViewer } from '../../src/features/cases/policy.js';
import { ManualClock } from '../../src/shared/clock.js';
import { readGraphMessage } from '../support/channel-drivers.js';
import { databaseKinds, freshTarget } from '../support/services.js';
import { startCloudServer, type CloudServer } from '../support/whatsapp-cloud-server.js';
import { query, scanTables } from './scan.js';

/**
 * Regression: erasing a WhatsApp (Cloud API) resident left behind the answer WhatsApp held for them
 * outside the 24-hour window (held_messages) and their dead letters: the conversations contract
 * exported and erased only conversations, inbound and outbox. The held answer was then sent to the
 * erased resident when they wrote again. Now a held answer does not hold the erasure (it goes out only
 * if the resident ever writes again), is in the access export and the preview, and goes with the rest,
 * counted in the privacy log. Real Cloud API adapter, Graph on a fake on loopback, SQLite and PostgreSQL.
 */
const RESIDENT = '31612340077';
const ANSWER = 'Heldmarker42: wij wissen vandaag al uw gegevens.';
const privacyTeam: CaseViewer = { id: 'pt-1', name: 'Pim Privacy', role: 'department:privacy' };
const HOUR = 3600_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function say(c: CloudServer, text: string): Promise<string[]> {
  const mark = c.api.sent.length;
  expect((await c.post(c.hooks.text(RESIDENT, text))).status).toBe(200);
  await expect
    .poll(async () => (await query(c.t.app.db, `SELECT id FROM inbound WHERE status = 'pending'`)).length, {
      timeout: 20_000,
      interval: 10,
    })
    .toBe(0);
  await c.t.app.settle();
  return c.api.sent.slice(mark).map((s) => readGraphMessage(s).text ?? '');
}

describe.each(databaseKinds)(
  'erasure of a WhatsApp resident with a held answer on $kind',
  ({ kind, available }) => {
    it.skipIf(!available)(
      'the held answer does not hold the erasure; it is exported, erased and counted in the privacy log, and never reaches the erased resident',
      { timeout: 120_000 },
      async () => {
        const fresh = await freshTarget(kind);
        const clock = new ManualClock('2026-12-01T09:00:00Z');
        const c = await startCloudServer({ databaseUrl: fresh.url, clock });
        cleanups.push(fresh.cleanup, () => c.close());
        const { app } = c.t;
        await say(c, 'hallo');
        await say(c, 'verwijder mijn gegevens');
        const reference = /RSW-\d{4}-\d{6}/.exec((await say(c, 'ja')).join('\n'))?.[0] ?? '';
        expect(reference).not.toBe('');
        // Both WhatsApp channels key a resident by their number with WhatsApp's '@c.us'.
        const address = { channel: 'whatsapp', userId: `${RESIDENT}@c.us` };
        // A letter set aside for an operator, naming the resident.
        await app.uow.run((r) =>
          r.deadLetters.add({
            stage: 'handle',
            address,
            dedupeKey: `whatsapp:dead-${RESIDENT}`,
            payload: JSON.stringify({ from: RESIDENT, text: 'Deadmarker43' }),
            error: 'test',
            attempts: 5,
            now: clock.now(),
          }),
        );

        // The privacy team answers 25 hours after the resident last wrote: WhatsApp gets the answer
        // template, and the full answer is held until the resident writes again.
        clock.set(new Date(clock.now().getTime() + 25 * HOUR));
        const mark = c.api.sent.length;
        await app.commands.cases.answer(privacyTeam, reference, { text: ANSWER });
        await app.settle();
        expect(c.api.sent.slice(mark).map((s) => s.type)).toEqual(['template']);
        const held = await query<{ body: string }>(app.db, `SELECT body FROM held_messages`);
        expect(held.map((h) => h.body).join()).toContain('Heldmarker42');

        // Nothing is on its way (the template went out), so nothing holds the erasure.
        expect(await app.commands.privacy.erasureHolds(address)).toEqual([]);
        const { data } = await app.commands.privacy.export(address, 'test');
        expect(data.held_messages).toHaveLength(held.length);
        expect(JSON.stringify(data.held_messages)).toContain('Heldmarker42');
        expect(JSON.stringify(data.dead_letters)).toContain('Deadmarker43');

        const counts = await app.commands.privacy.erase(address, 'test');
        expect(counts).toMatchObject({ held_messages: held.length, dead_letters: 1 });
        expect(await scanTables(app.db, [RESIDENT, 'Heldmarker42', 'Deadmarker43'])).toEqual({});
        const [erasure] = (await app.commands.privacy.log(10)).filter((e) => e.action === 'erase');
        expect(erasure?.counts).toMatchObject({ held_messages: held.length, dead_letters: 1 });

        // The resident writes again: a new conversation, and the erased answer is not sent.
        const after = await say(c, 'hallo');
        expect(after.length).toBeGreaterThan(0);
        expect(after.join('\n')).not.toContain('Heldmarker42');
      },
    );
  },
);
