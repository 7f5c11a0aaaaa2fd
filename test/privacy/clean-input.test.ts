import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../bots/telegram/telegram-adapter.js';
import { startTestApp } from '../support/app-driver.js';
import { FakeTelegramApi } from '../support/fake-telegram-api.js';
import { databaseKinds, freshTarget } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';
import { query } from './scan.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

// A postcode with a NUL, a bell, a bidi override (which would show "DG 8822") and an isolate in it.
const DIRTY_POSTCODE = '22\u000088\u0007 \u202eGD\u2066';

async function until(done: () => boolean, ms = 30_000): Promise<void> {
  const start = Date.now();
  while (!done() && Date.now() - start < ms) await new Promise((r) => setTimeout(r, 25));
  if (!done()) throw new Error(`not within ${ms} ms`);
}

/** The stored text of every inbound message of one conversation, oldest first. */
async function storedTexts(db: Parameters<typeof query>[0], key: string) {
  return query<{ text: string; status: string }>(
    db,
    `SELECT text, status FROM inbound WHERE conversation_key = '${key}' ORDER BY id`,
  );
}

describe.each(databaseKinds)('inbound text on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'a NUL byte, C0 controls and a bidi override are stored clean, nothing crashes, and the conversation goes on in its flow',
    async () => {
      const fresh = await freshTarget(kind);
      const t = await startTestApp({ databaseUrl: fresh.url });
      cleanups.push(fresh.cleanup, () => t.driver.close());
      const dirty = 'hal\u0000lo\u0007 \u202ewereld\u2066\u001b';
      const welcome = (await t.driver.send('r-nul', dirty)).map((m) => m.text).join('\n');
      // Read as the greeting it is: the welcome, not an apology.
      expect(welcome).toMatch(/Welkom bij het chatspreekuur/);
      expect(welcome).not.toMatch(/begrijp .*niet|Sorry/);
      await t.app.engine.receive({
        channel: 'console',
        userId: 'r-nul',
        messageId: randomUUID(),
        text: '\u0000',
      });
      await t.app.settle();
      // The district flow: a postcode with control characters inside still finds the district…
      expect(
        (await t.driver.send('r-nul', 'wie is mijn wijkwethouder?')).map((m) => m.text).join('\n'),
      ).toMatch(/postcode/i);
      const found = (await t.driver.send('r-nul', DIRTY_POSTCODE)).map((m) => m.text).join('\n');
      expect(found).toContain('Rijswijk-Buiten');
      expect(found).toContain('Fatma Yilmaz');
      expect(found).toContain('Zullen we uw wijk onthouden?');
      // …and the next step works: the yes is taken, the district remembered.
      expect((await t.driver.send('r-nul', 'Ja, onthoud mijn wijk')).map((m) => m.text)).toContain(
        'Goed. Ik onthoud uw wijk.',
      );
      const mine = (await t.driver.send('r-nul', 'mijn gegevens')).map((m) => m.text).join('\n');
      expect(mine).toContain('Wij onthouden uw wijk: Rijswijk-Buiten');

      const stored = await storedTexts(t.app.db, 'console:r-nul');
      expect(stored.map((r) => r.text)).toEqual([
        'hallo wereld',
        '',
        'wie is mijn wijkwethouder?',
        '2288 GD',
        'Ja, onthoud mijn wijk',
        'mijn gegevens',
      ]);
      expect(stored.every((r) => r.status === 'done')).toBe(true);
    },
  );

  // Regression: a NUL made PostgreSQL refuse the insert, and Telegram polling retried that one update forever.
  it.skipIf(!available)(
    'through Telegram polling (a fake Bot API over HTTP): the dirty postcode finds the district, the button after it works',
    async () => {
      const fresh = await freshTarget(kind);
      const api = await FakeTelegramApi.start();
      const adapter = createTelegramAdapter({
        texts: shippedTexts,
        token: api.token,
        apiRoot: api.url,
        retry: { initialMs: 20, maxMs: 100 },
        limits: { perChatIntervalMs: 10, globalPerSecond: 1000 },
      });
      const t = await startTestApp({ databaseUrl: fresh.url, channels: [adapter] });
      cleanups.push(
        fresh.cleanup,
        () => api.close(),
        () => t.app.stop(),
      );
      const texts = () => api.sentTo(4711).map((m) => m.text);

      api.push(api.textUpdate(4711, '/start'));
      await until(() => api.sentTo(4711).some((m) => m.replyMarkup));
      api.push(api.textUpdate(4711, 'wijk\u0000wethouder\u202e'));
      await until(() => texts().some((x) => /postcode/i.test(x)));
      api.push(api.textUpdate(4711, DIRTY_POSTCODE));
      await until(() => texts().some((x) => x.includes('Zullen we uw wijk onthouden?')));
      expect(texts().join('\n')).toMatch(
        /Fatma Yilmaz[\s\S]*Rijswijk-Buiten|Rijswijk-Buiten[\s\S]*Fatma Yilmaz/,
      );
      const remember = api.sentTo(4711).find((m) => m.text.includes('Zullen we uw wijk onthouden?'));
      expect(remember?.replyMarkup?.inline_keyboard[0]?.[0]?.text).toBe('Ja, onthoud mijn wijk');
      api.push(api.buttonPressUpdate(remember!, 0));
      await until(() => texts().includes('Goed. Ik onthoud uw wijk.'));
      // One more message after it: the polling loop was not stuck on the dirty update.
      api.push(api.textUpdate(4711, 'mijn gegevens'));
      await until(() => texts().some((x) => x.includes('Wij onthouden uw wijk: Rijswijk-Buiten')));

      const stored = await storedTexts(t.app.db, 'telegram:4711');
      expect(stored.map((r) => r.text).slice(1, 3)).toEqual(['wijkwethouder', '2288 GD']);
      const unclean = [...stored.map((r) => r.text).join('')].filter((c) => {
        const code = c.codePointAt(0) ?? 0;
        return code < 0x20 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
      });
      expect(unclean).toEqual([]);
    },
  );
});
