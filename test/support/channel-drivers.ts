import { shippedTexts } from './texts.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTelegramAdapter } from '../../bots/telegram/telegram-adapter.js';
import { createWhatsAppAdapter } from '../../bots/whatsapp/whatsapp-adapter.js';
import { FakeTelegramApi } from './fake-telegram-api.js';
import { FakeWhatsApp } from './fake-whatsapp-client.js';
import { startTestApp, type TestApp } from './app-driver.js';
import { WebChatClient } from './web-chat-client.js';
import { startWebChatServer } from './web-chat-server.js';
import type { GraphSent } from './fake-graph-api.js';
import { startCloudServer } from './whatsapp-cloud-server.js';
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

/**
 * The whole service with the web chat: each person is a real WebSocket client with their own signed
 * cookie, over HTTP on loopback; buttons are pressed by sending the choice's id, as the page does.
 */
export async function webDriver(databaseUrl: string): Promise<ScenarioDriver> {
  // The flows' own rate limit decides here, as on the other channels.
  const web = await startWebChatServer({
    databaseUrl,
    limits: { perResidentPerMinute: 10_000, perAddressPerMinute: 100_000 },
  });
  const clients = new Map<string, WebChatClient>();
  const clientOf = async (name: string) => {
    let client = clients.get(name);
    if (!client) clients.set(name, (client = await WebChatClient.open(web.url)));
    return client;
  };
  const collect = async (push: () => Promise<unknown>) => {
    const marks = new Map([...clients].map(([name, c]) => [name, c.frames.length]));
    await push();
    await web.t.app.settle();
    const sent: SentMessage[] = [];
    for (const [name, client] of clients) {
      await client.ping();
      for (const entry of client.entries(marks.get(name) ?? 0))
        if (entry.from === 'service')
          sent.push({ to: name, text: entry.text, ...(entry.choices ? { choices: entry.choices } : {}) });
    }
    return sent;
  };
  const expectAck = (frame: { type: string }) => {
    if (frame.type !== 'ack') throw new Error(`web chat did not take the message: ${JSON.stringify(frame)}`);
  };
  return {
    send: async (from, text) => {
      const client = await clientOf(from);
      return collect(async () => expectAck(await client.send(text)));
    },
    press: async (from, label) => {
      const client = await clientOf(from);
      const offered = [...client.entries()].reverse().find((e) => e.choices?.length);
      const choice = offered?.choices?.find((c) => c.label === label);
      if (!choice) throw new Error(`no button "${label}" for ${from}`);
      return collect(async () => expectAck(await client.send(choice.label, { choiceId: choice.id })));
    },
    staffCode: (aldermanId) => web.t.driver.staffCode!(aldermanId),
    close: async () => {
      for (const client of clients.values()) await client.close();
      await web.close();
    },
  };
}

/** What a resident reads in a message the Cloud API adapter sent: text and choices, buttons and lists read back. */
export function readGraphMessage(sent: GraphSent): {
  text: string;
  choices?: { id: string; label: string }[];
} {
  const b = sent.body as {
    text?: { body: string };
    template?: { name: string };
    interactive?: {
      type: string;
      body: { text: string };
      action: {
        buttons?: { reply: { id: string; title: string } }[];
        sections?: { rows: { id: string; title: string }[] }[];
      };
    };
  };
  if (sent.type === 'text') return parseWhatsApp(b.text?.body ?? '');
  if (sent.type === 'template') return { text: `[template ${b.template?.name ?? ''}]` };
  const i = b.interactive!;
  const offered =
    i.type === 'button'
      ? (i.action.buttons ?? []).map((x) => ({ id: x.reply.id, label: x.reply.title }))
      : (i.action.sections ?? []).flatMap((s) => s.rows.map((r) => ({ id: r.id, label: r.title })));
  // Titles that were cut: the full texts are under the message, numbered.
  const at = i.body.text.lastIndexOf('\n\n');
  const lines = at < 0 ? [] : i.body.text.slice(at + 2).split('\n');
  const full = lines.map((line, n) => new RegExp(`^${n + 1}\\. (.*)$`).exec(line)?.[1]);
  if (at >= 0 && full.length === offered.length && full.every((l) => l !== undefined))
    return {
      text: i.body.text.slice(0, at),
      choices: offered.map((c, n) => ({ id: c.id, label: full[n]! })),
    };
  return { text: i.body.text, choices: offered };
}

/** The whole service with the Cloud API adapter: signed webhooks over HTTP in, a fake Graph API out. */
export async function whatsappCloudDriver(databaseUrl: string): Promise<ScenarioDriver> {
  const cloud = await startCloudServer({ databaseUrl });
  const t = cloud.t;
  const ids = new Ids((n) => `3161234${String(n).padStart(4, '0')}`);
  const collect = async (push: () => Promise<Response>) => {
    const from = cloud.api.sent.length;
    const before = await handledCount(t);
    const response = await push();
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    await until(async () => (await handledCount(t)) > before, 'the message to be handled');
    await t.app.settle();
    return cloud.api.sent.slice(from).map((s) => ({ to: ids.name(s.to), ...readGraphMessage(s) }));
  };
  return {
    send: (from, text) => collect(() => cloud.post(cloud.hooks.text(ids.id(from), text))),
    press: (from, label) => {
      const to = ids.id(from);
      const last = [...cloud.api.sentTo(to)].reverse().find((s) => s.type === 'interactive');
      const choice = last && readGraphMessage(last).choices?.find((c) => c.label === label);
      if (!last || !choice) return collect(() => cloud.post(cloud.hooks.text(to, label)));
      const title = (last.body as { interactive: { type: string } }).interactive.type;
      const shown = label.length > 20 ? label.slice(0, 19) : label;
      return collect(() =>
        cloud.post(
          title === 'button'
            ? cloud.hooks.buttonReply(to, choice.id, shown)
            : cloud.hooks.listReply(to, choice.id, shown),
        ),
      );
    },
    staffCode: (aldermanId) => t.driver.staffCode!(aldermanId),
    close: () => cloud.close(),
  };
}
