import { describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../bots/telegram/telegram-adapter.js';
import type { InboundMessage } from '../../src/ports/messages.js';
import { startTestApp } from '../support/app-driver.js';
import { FakeTelegramApi } from '../support/fake-telegram-api.js';
import { postgresAvailable, postgresTarget, sqliteUrl } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';

async function until(done: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const start = Date.now();
  while (!(await done()) && Date.now() - start < ms) await new Promise((r) => setTimeout(r, 20));
}

/** Fails every try to store a message whose text is exactly `text` (an injected storage fault). */
function failStoring(text: string): { tries: () => number; beforeStore: (m: InboundMessage) => void } {
  let tries = 0;
  return {
    tries: () => tries,
    beforeStore: (m) => {
      if (m.text !== text) return;
      tries++;
      throw new Error('injected: the inbound log refused this message');
    },
  };
}

describe.skipIf(!postgresAvailable)(
  'dead letters: poison input never blocks Telegram polling (PostgreSQL)',
  () => {
    it('an update that cannot be stored is set aside, one with a NUL byte is cleaned and answered; the next resident is answered at once', async () => {
      const pgTarget = await postgresTarget();
      const api = await FakeTelegramApi.start();
      const fault = failStoring('kapot bericht');
      const adapter = createTelegramAdapter({
        texts: shippedTexts,
        token: api.token,
        apiRoot: api.url,
        pollTimeoutSeconds: 1,
        retry: { initialMs: 20, maxMs: 200 },
        limits: { perChatIntervalMs: 1, globalPerSecond: 1000 },
      });
      const t = await startTestApp({
        databaseUrl: pgTarget.url,
        channels: [adapter],
        app: { faults: { beforeStore: fault.beforeStore } },
      });
      try {
        // Resident 501's message always fails to store; 502's holds a NUL byte; 503 just says hallo.
        api.push(api.textUpdate(501, 'kapot bericht'));
        api.push(api.textUpdate(502, 'hallo\u0000wereld'));
        const pushed = Date.now();
        const next = api.textUpdate(503, 'hallo');
        api.push(next);
        await until(() => api.sentTo(503).length > 0, 30_000);
        const answeredAfterMs = Date.now() - pushed;
        console.log(`[dead letters] the next resident was answered ${answeredAfterMs} ms after the poison`);
        expect(
          api
            .sentTo(503)
            .map((m) => m.text)
            .join('\n'),
        ).toMatch(/Welkom/);

        const letters = await t.app.uow.run((r) => r.deadLetters.list({ limit: 10 }));
        const injected = letters.find((l) => l.address.userId === '501');
        expect(injected).toMatchObject({ stage: 'store', status: 'open', attempts: 3 });
        expect(injected?.error).toMatch(/injected: the inbound log refused/);
        expect(JSON.parse(injected?.payload ?? '{}')).toMatchObject({ text: 'kapot bericht', userId: '501' });
        // Tried exactly the configured number of times, not forever.
        await new Promise((r) => setTimeout(r, 300));
        expect(fault.tries()).toBe(3);

        // The NUL byte: PostgreSQL refuses it in text, so the ingress strips it (with the other control
        // characters) before anything stores it. The message is stored once, without the byte, and
        // answered like any other; no dead letter, no apology, and the channel never stalled.
        expect(letters.find((l) => l.address.userId === '502')).toBeUndefined();
        const stored = await t.app.db.run((m) =>
          m.query<{ text: string }[]>(`SELECT text FROM inbound WHERE conversation_key = 'telegram:502'`),
        );
        expect(stored.map((r) => r.text)).toEqual(['hallowereld']);
        await until(() => api.sentTo(502).length > 0, 10_000);
        const to502 = api
          .sentTo(502)
          .map((m) => m.text)
          .join('\n');
        expect(to502).toMatch(/Welkom/);
        expect(to502).not.toMatch(/iets mis/);

        // The residents whose message was set aside got the kind apology (with the phone number).
        await until(() => api.sentTo(501).length > 0, 10_000);
        expect(api.sentTo(501).map((m) => m.text)).toEqual([expect.stringMatching(/iets mis.*14 ?070/)]);
        expect(await t.app.uow.run((r) => r.deadLetters.countOpen())).toBe(1);
        // Telegram's offset moved past all three updates: none is handed out again.
        await until(() => api.confirmedOffset > next.update_id, 10_000);
        expect(api.confirmedOffset).toBe(next.update_id + 1);
      } finally {
        await t.driver.close();
        await api.close();
        await pgTarget.drop();
      }
    });
  },
);

describe('dead letters: retry and drop', () => {
  it('a message that could not be stored is handed in again by retry once the fault is gone', async () => {
    let broken = true;
    const t = await startTestApp({
      databaseUrl: sqliteUrl(),
      app: {
        faults: {
          beforeStore: () => {
            if (broken) throw new Error('injected: disk full');
          },
        },
      },
    });
    try {
      const replies = await t.driver.send('r1', 'hallo');
      expect(replies.map((m) => m.text)).toEqual([expect.stringMatching(/iets mis/)]);
      const [letter] = await t.app.uow.run((r) => r.deadLetters.list({ limit: 10 }));
      expect(letter).toMatchObject({ stage: 'store', status: 'open', error: 'Error: injected: disk full' });

      broken = false;
      const from = t.sent.length;
      expect(await t.app.engine.retryDeadLetter(letter!.id)).toBe(true);
      await t.app.settle();
      expect(
        t.sent
          .slice(from)
          .map((m) => m.text)
          .join('\n'),
      ).toMatch(/Welkom/);
      expect(await t.app.engine.retryDeadLetter(letter!.id)).toBe(false);
      expect(await t.app.uow.run((r) => r.deadLetters.countOpen())).toBe(0);
      expect((await t.app.uow.run((r) => r.deadLetters.get(letter!.id)))?.status).toBe('retried');
    } finally {
      await t.driver.close();
    }
  });

  it('a turn that fails every try becomes a dead letter with the stored item; retry handles it, drop closes it', async () => {
    const t = await startTestApp({ databaseUrl: sqliteUrl(), env: { DEAD_LETTER_AFTER: '2' } });
    try {
      await t.driver.send('r1', 'hallo');
      const services = (t.app.engine as unknown as { o: { services: Record<string, unknown> } }).o.services;
      const original = services['cases.mine'];
      services['cases.mine'] = () => Promise.reject(new Error('injected: cases unreachable'));
      const apology = await t.driver.send('r1', 'mijn vragen');
      expect(apology.map((m) => m.text)).toEqual([expect.stringMatching(/iets mis/)]);
      const [letter] = await t.app.uow.run((r) => r.deadLetters.list({ limit: 10 }));
      expect(letter).toMatchObject({ stage: 'handle', attempts: 2, status: 'open' });
      expect(letter?.error).toMatch(/injected: cases unreachable/);
      expect(letter?.inboundId).toBeGreaterThan(0);

      services['cases.mine'] = original;
      const from = t.sent.length;
      expect(await t.app.engine.retryDeadLetter(letter!.id)).toBe(true);
      await t.app.settle();
      expect(t.sent.slice(from).length).toBeGreaterThan(0);
      expect(
        t.sent
          .slice(from)
          .map((m) => m.text)
          .join('\n'),
      ).not.toMatch(/iets mis/);
      const status = await t.app.db.run((m) =>
        m.query<{ status: string }[]>(`SELECT status FROM inbound WHERE id = ?`, [letter!.inboundId]),
      );
      expect(status).toEqual([{ status: 'done' }]);

      services['cases.mine'] = () => Promise.reject(new Error('injected again'));
      await t.driver.send('r1', 'mijn vragen');
      const [second] = await t.app.uow.run((r) => r.deadLetters.list({ limit: 10 }));
      expect(second?.id).not.toBe(letter?.id);
      expect(await t.app.engine.dropDeadLetter(second!.id)).toBe(true);
      expect(await t.app.engine.dropDeadLetter(second!.id)).toBe(false);
      expect(await t.app.uow.run((r) => r.deadLetters.countOpen())).toBe(0);
      services['cases.mine'] = original;
    } finally {
      await t.driver.close();
    }
  });
});
