import { shippedTexts } from '../support/texts.js';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../bots/telegram/telegram-adapter.js';
import { buildHttpServer } from '../../src/http/server.js';
import { startTestApp } from '../support/app-driver.js';
import { serverPort } from '../support/net.js';
import { FakeTelegramApi } from '../support/fake-telegram-api.js';
import { sqliteUrl } from '../support/services.js';

async function until(done: () => boolean, ms: number): Promise<void> {
  const start = Date.now();
  while (!done() && Date.now() - start < ms) await new Promise((r) => setTimeout(r, 50));
}

describe('Telegram end to end', () => {
  it('`npm start` with TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT answers /start and a postcode, with an inline keyboard', async () => {
    const api = await FakeTelegramApi.start('123:abc');
    const child = spawn(process.execPath, ['bin/spreekuur.mjs', 'serve'], {
      env: {
        ...process.env,
        TELEGRAM_BOT_TOKEN: '123:abc',
        TELEGRAM_API_ROOT: api.url,
        DATABASE_URL: sqliteUrl(),
        PORT: String(await serverPort()),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    try {
      api.push(api.textUpdate(4242, '/start'));
      await until(() => api.sentTo(4242).some((m) => m.replyMarkup), 30_000);
      const welcome = api.sentTo(4242);
      expect(welcome.map((m) => m.text).join('\n')).toMatch(/Welkom.*Rijswijk/);
      expect(welcome.map((m) => m.text).join('\n')).toMatch(/gegevens/);
      const menu = welcome.find((m) => m.replyMarkup);
      expect(menu?.replyMarkup?.inline_keyboard.length).toBeGreaterThanOrEqual(3);

      api.push(api.textUpdate(4242, 'wijkwethouder'));
      await until(() => api.sentTo(4242).some((m) => /postcode/i.test(m.text)), 20_000);
      api.push(api.textUpdate(4242, '2288 GD'));
      await until(() => api.sentTo(4242).some((m) => /Fatma Yilmaz/.test(m.text)), 20_000);
      const answer = api.sentTo(4242).find((m) => /Fatma Yilmaz/.test(m.text));
      expect(answer?.text).toMatch(/Rijswijk-Buiten/);
      await until(() => api.sentTo(4242).some((m) => /onthouden/.test(m.text)), 20_000);
      const remember = api.sentTo(4242).find((m) => /onthouden/.test(m.text));
      expect(remember?.replyMarkup?.inline_keyboard.map((row) => row[0]?.text)).toEqual([
        'Ja, onthoud mijn wijk',
        'Nee, liever niet',
      ]);
      expect(api.commandMenus.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await api.close();
    }
  });

  it('webhook mode: wrong secrets handle nothing; one update delivered 20 times gets one reply', async () => {
    const api = await FakeTelegramApi.start();
    const secret = 'a-very-secret-token-1234';
    const adapter = createTelegramAdapter({
      texts: shippedTexts,
      token: api.token,
      apiRoot: api.url,
      webhook: { url: 'https://spreekuur.example.nl/telegram/webhook', secret },
      limits: { perChatIntervalMs: 1, globalPerSecond: 1000 },
    });
    const t = await startTestApp({ databaseUrl: sqliteUrl(), channels: [adapter] });
    const server = buildHttpServer({
      health: () => t.app.health(),
      routes: [(s) => adapter.mountWebhook(s)],
    });
    try {
      const update = api.textUpdate(77, 'hallo');
      const post = (headers: Record<string, string>) =>
        server.inject({
          method: 'POST',
          url: '/telegram/webhook',
          headers: { 'content-type': 'application/json', ...headers },
          payload: JSON.stringify(update),
        });
      const wrong = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          post(i % 10 === 0 ? {} : { 'x-telegram-bot-api-secret-token': `wrong-${i}-xxxxxxxxxxxx` }),
        ),
      );
      expect(wrong.every((r) => r.statusCode === 401)).toBe(true);
      await t.app.settle();
      expect(api.sentTo(77)).toEqual([]);
      const inbound = await t.app.db.run((m) =>
        m.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM inbound'),
      );
      expect(Number(inbound[0]?.n)).toBe(0);

      const right = await Promise.all(
        Array.from({ length: 20 }, () => post({ 'x-telegram-bot-api-secret-token': secret })),
      );
      expect(right.every((r) => r.statusCode === 200)).toBe(true);
      await t.app.settle();
      const privacy = api.sentTo(77).filter((m) => /gegevens/.test(m.text));
      expect(privacy).toHaveLength(1);
      expect(api.sentTo(77)).toHaveLength(3);
    } finally {
      await t.driver.close();
      await server.close();
      await api.close();
    }
  });
});
