import { shippedTexts } from './texts.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTelegramAdapter } from '../../bots/telegram/telegram-adapter.js';
import { createWhatsAppAdapter } from '../../bots/whatsapp/whatsapp-adapter.js';
import { FakeTelegramApi } from './fake-telegram-api.js';
import { FakeWhatsApp } from './fake-whatsapp-client.js';
import { startTestApp, type TestApp } from './app-driver.js';
import type { ScenarioDriver, SentMessage } from './scenario.js';

/** Scenario names (r1, a1, …) ↔ stable channel ids. */
class Ids {
  private readonly byName = new Map<string, string>();
  private readonly byId = new Map<string, string>();
  constructor(private readonly make: (n: number) => string) {}
  id(name: string): string {
    let id = this.byName.get(name);
    if (!id) {
      id = this.make(this.byName.size + 1);
      this.byName.set(name, id);
      this.byId.set(id, name);
    }
    return id;
  }
  name(id: string): string {
    return this.byId.get(id) ?? id;
  }
}

/** Waits until `done()` holds, polling. */
async function until(done: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function handledCount(t: TestApp): Promise<number> {
  const rows = await t.app.db.run((m) =>
    m.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM inbound WHERE status <> 'pending'`),
  );
  return Number(rows[0]?.n ?? 0);
}

/** The whole service with the Telegram adapter (real telegraf) talking HTTP to a fake Bot API on loopback. */
export async function telegramDriver(databaseUrl: string): Promise<ScenarioDriver> {
  const api = await FakeTelegramApi.start();
  const adapter = createTelegramAdapter({
    texts: shippedTexts,
    token: api.token,
    apiRoot: api.url,
    limits: { perChatIntervalMs: 1, globalPerSecond: 1000 },
    pollTimeoutSeconds: 1,
  });
  const t = await startTestApp({ databaseUrl, channels: [adapter] });
  const ids = new Ids((n) => String(1000 + n));
  const collect = async (push: () => void) => {
    const from = api.sent.length;
    const before = await handledCount(t);
    push();
    await until(async () => (await handledCount(t)) > before, 'the update to be handled');
    await t.app.settle();
    return api.sent.slice(from).map((m): SentMessage => ({
      to: ids.name(m.chatId),
      text: m.text,
      ...(m.replyMarkup
        ? {
            choices: m.replyMarkup.inline_keyboard.flatMap((row) =>
              row.map((b) => ({ id: 'callback_data' in b ? b.callback_data : '', label: b.text })),
            ),
          }
        : {}),
    }));
  };
  return {
    send: (from, text) => collect(() => api.push(api.textUpdate(Number(ids.id(from)), text))),
    press: (from, label) => {
      const chat = ids.id(from);
      const last = [...api.sentTo(chat)].reverse().find((m) => m.replyMarkup);
      const index = last?.replyMarkup?.inline_keyboard.findIndex((row) => row[0]?.text === label) ?? -1;
      if (!last || index < 0) throw new Error(`no button "${label}" for ${from}`);
      return collect(() => api.push(api.buttonPressUpdate(last, index)));
    },
    staffCode: (aldermanId) => t.driver.staffCode!(aldermanId),
    close: async () => {
      await t.driver.close();
      await api.close();
    },
  };
}

/** Reads the numbered list the WhatsApp adapter renders back into text and choices. */
function parseWhatsApp(content: string): { text: string; choices?: { id: string; label: string }[] } {
  const [text, list] = content.split('\n\n');
  const choices = (list ?? '')
    .split('\n')
    .map((line) => /^(\d+)\. (.*)$/.exec(line))
    .flatMap((m) => (m ? [{ id: m[1] ?? '', label: m[2] ?? '' }] : []));
  return choices.length ? { text: text ?? '', choices } : { text: content };
}

/** The whole service with the WhatsApp adapter on a fake whatsapp-web.js client. */
export async function whatsappDriver(databaseUrl: string): Promise<ScenarioDriver> {
  const world = new FakeWhatsApp();
  world.linked = true;
  const adapter = createWhatsAppAdapter({
    texts: shippedTexts,
    sessionDir: join(mkdtempSync(join(tmpdir(), 'spreekuur-wa-')), 'session'),
    executablePath: '/usr/bin/chromium',
    clientFactory: world.factory,
  });
  const ids = new Ids((n) => `3161234${String(n).padStart(4, '0')}@c.us`);
  const t = await startTestApp({ databaseUrl, channels: [adapter] });
  await until(() => adapter.state() === 'ready', 'WhatsApp to be ready');
  return {
    send: async (from, text) => {
      const start = world.sent.length;
      const before = await handledCount(t);
      world.current.residentWrites(ids.id(from), text);
      await until(async () => (await handledCount(t)) > before, 'the message to be handled');
      await t.app.settle();
      return world.sent.slice(start).map((s) => ({ to: ids.name(s.chatId), ...parseWhatsApp(s.content) }));
    },
    staffCode: (aldermanId) => t.driver.staffCode!(aldermanId),
    close: () => t.driver.close(),
  };
}
