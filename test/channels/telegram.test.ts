import { shippedTexts } from '../support/texts.js';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelStoppedError } from '../../bots/common/errors.js';
import { splitText } from '../../bots/telegram/render.js';
import {
  createTelegramAdapter,
  TelegramTokenRejectedError,
  type TelegramAdapter,
  type TelegramAdapterOptions,
} from '../../bots/telegram/telegram-adapter.js';
import type { OutboundMessage } from '../../src/ports/messages.js';
import { FakeTelegramApi } from '../support/fake-telegram-api.js';
import { RecordingIngress, waitFor } from '../support/recording-ingress.js';
import { RecordingLogger } from '../support/recording-logger.js';

const TOKEN = '123456:TEST-fake-token_abc';
const SECRET = 'wh_secret-0123456789abcdefABCDEF';
const to = (chatId: number): OutboundMessage['to'] => ({ channel: 'telegram', userId: String(chatId) });

/** Records log lines so tests can follow state changes. */

let api: FakeTelegramApi;
let adapter: TelegramAdapter | undefined;
let app: FastifyInstance | undefined;
let ingress: RecordingIngress;
let logger: RecordingLogger;

beforeEach(async () => {
  api = await FakeTelegramApi.start(TOKEN);
  ingress = new RecordingIngress();
  logger = new RecordingLogger();
});

afterEach(async () => {
  await adapter?.stop();
  await app?.close();
  await api.close();
  adapter = undefined;
  app = undefined;
});

async function startPolling(extra: Partial<TelegramAdapterOptions> = {}): Promise<TelegramAdapter> {
  adapter = createTelegramAdapter({
    texts: shippedTexts,
    token: TOKEN,
    apiRoot: api.url,
    logger,
    retry: { initialMs: 20, maxMs: 100 },
    ...extra,
    limits: { perChatIntervalMs: 10, globalPerSecond: 1000, ...extra.limits },
  });
  await adapter.start(ingress);
  return adapter;
}

describe('telegram adapter: long polling against a fake Bot API', () => {
  it('hands /start and a text to the ingress, mapped to InboundMessage', async () => {
    const a = await startPolling();
    expect(a.state()).toBe('ready');
    const start = api.textUpdate(4242, '/start');
    const text = api.textUpdate(4242, 'Hallo, ik heb een vraag over de stoep');
    api.push(start);
    api.push(text);
    const got = await ingress.waitForCount(2);
    expect(got).toEqual([
      {
        channel: 'telegram',
        userId: '4242',
        messageId: String(start.update_id),
        text: 'start',
        displayName: 'Anna de Vries',
      },
      {
        channel: 'telegram',
        userId: '4242',
        messageId: String(text.update_id),
        text: 'Hallo, ik heb een vraag over de stoep',
        displayName: 'Anna de Vries',
      },
    ]);
    await waitFor(() => api.confirmedOffset > text.update_id, 20_000, 'offset confirmation');
  });

  it('maps /menu, /help and /stop (also with @botname) to the bare word; other slashes stay text', async () => {
    await startPolling();
    for (const t of ['/menu', '/help@SpreekuurTestBot', '/stop', '/foo bar']) api.push(api.textUpdate(7, t));
    const got = await ingress.waitForCount(4);
    expect(got.map((m) => m.text)).toEqual(['menu', 'help', 'stop', '/foo bar']);
  });

  it('announces the command menu with the texts from data/i18n (Dutch default, English for en)', async () => {
    await startPolling();
    const nl = JSON.parse(readFileSync('data/i18n/nl/channels.json', 'utf8')) as Record<string, string>;
    const dutch = api.commandMenus.find((m) => m.languageCode === undefined);
    expect(dutch?.commands).toEqual(
      ['start', 'menu', 'help', 'stop'].map((c) => ({
        command: c,
        description: nl[`telegram.command.${c}`],
      })),
    );
    expect(api.commandMenus.some((m) => m.languageCode === 'en')).toBe(true);
    expect(api.calls.some((c) => c.method === 'deleteWebhook')).toBe(true);
  });

  it('sends choices as an inline keyboard, one button per row, as plain text without parse_mode', async () => {
    const a = await startPolling();
    const text = '<b>Kies</b> *een* _optie_ & [link](javascript:alert(1))';
    await a.send({
      to: to(4242),
      text,
      choices: [
        { id: 'book', label: 'Afspraak maken' },
        { id: 'ask', label: 'Vraag stellen' },
      ],
    });
    const [sent] = api.sentTo(4242);
    expect(sent?.text).toBe(text);
    expect(sent?.parseMode).toBeUndefined();
    expect(sent?.replyMarkup).toEqual({
      inline_keyboard: [
        [{ text: 'Afspraak maken', callback_data: 'book' }],
        [{ text: 'Vraag stellen', callback_data: 'ask' }],
      ],
    });
  });

  it('answers a pressed button and hands its choice id and label to the ingress', async () => {
    const a = await startPolling();
    await a.send({
      to: to(4242),
      text: 'Wat wilt u doen?',
      choices: [
        { id: 'book', label: 'Afspraak maken' },
        { id: 'ask', label: 'Vraag stellen' },
      ],
    });
    const press = api.buttonPressUpdate(api.sentTo(4242)[0]!, 1);
    api.push(press);
    const [got] = await ingress.waitForCount(1);
    expect(got).toEqual({
      channel: 'telegram',
      userId: '4242',
      messageId: String(press.update_id),
      text: 'Vraag stellen',
      choiceId: 'ask',
      displayName: 'Anna de Vries',
    });
    expect(api.answeredCallbacks).toEqual([(press as { callback_query: { id: string } }).callback_query.id]);
  });

  it('sends a choice id longer than 64 bytes as a short hash and maps the press back to the id', async () => {
    const a = await startPolling();
    const longId = `slot:2026-03-03T19:00:00+01:00:alderman:${'wijkwethouder-'.repeat(5)}`;
    expect(Buffer.byteLength(longId)).toBeGreaterThan(64);
    await a.send({ to: to(9), text: 'Kies een tijd', choices: [{ id: longId, label: 'dinsdag 19:00' }] });
    const sent = api.sentTo(9)[0]!;
    const button = sent.replyMarkup!.inline_keyboard[0]![0] as { callback_data: string };
    expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
    api.push(api.buttonPressUpdate(sent, 0));
    const [got] = await ingress.waitForCount(1);
    expect(got?.choiceId).toBe(longId);
    expect(got?.text).toBe('dinsdag 19:00');
  });

  it('hands media without text in as hasMedia with empty text, and ignores group chats', async () => {
    await startPolling();
    api.push(api.groupTextUpdate(-100123, 5, 'hallo groep'));
    api.push(api.photoUpdate(5));
    api.push(api.mediaUpdate(5, 'sticker'));
    api.push(api.mediaUpdate(5, 'voice'));
    api.push(api.mediaUpdate(5, 'document'));
    api.push(api.photoUpdate(5, 'foto van de losse stoeptegel'));
    const got = await ingress.waitForCount(5);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(5);
    expect(got.map((m) => [m.text, m.hasMedia])).toEqual([
      ['', true],
      ['', true],
      ['', true],
      ['', true],
      ['foto van de losse stoeptegel', true],
    ]);
  });

  it('regression: an update the ingress could not store is fetched again, not confirmed and lost', async () => {
    ingress.failNext(1);
    await startPolling();
    const update = api.textUpdate(11, 'mijn vraag');
    api.push(update);
    const [got] = await ingress.waitForCount(1);
    expect(got?.messageId).toBe(String(update.update_id));
    await waitFor(() => api.confirmedOffset > update.update_id, 20_000, 'confirmation after success');
    expect(ingress.received).toHaveLength(1);
  });

  it('reports disconnected while getUpdates fails, then ready again, and still delivers', async () => {
    api.failGetUpdates(3);
    await startPolling();
    api.push(api.textUpdate(12, 'na de storing'));
    await ingress.waitForCount(1);
    const states = logger.states();
    expect(states.slice(states.indexOf('disconnected'))).toEqual(['disconnected', 'ready']);
    expect(adapter!.state()).toBe('ready');
  });

  it('regression: a second process polling the same bot (409) is disconnected, logged once, retried with backoff', async () => {
    // Telegram allows one long poll per bot: each new poll ends the other's with 409, so two
    // processes take turns. Both must say so once and keep retrying, not crash or log every turn.
    const first = await startPolling({ apiRoot: `${api.url}/via/first/`, pollTimeoutSeconds: 1 });
    const secondLogger = new RecordingLogger();
    const secondIngress = new RecordingIngress();
    const second = createTelegramAdapter({
      texts: shippedTexts,
      token: TOKEN,
      apiRoot: `${api.url}/via/second/`,
      logger: secondLogger,
      retry: { initialMs: 20, maxMs: 100 },
      pollTimeoutSeconds: 1,
    });
    try {
      await second.start(secondIngress);
      const conflictsOf = (via: string) => api.terminatedPolls.filter((p) => p.via === via);
      await waitFor(
        () => conflictsOf('first').length >= 5 && conflictsOf('second').length >= 5,
        20_000,
        'five 409s for each poller',
      );
      expect([first.state(), second.state()]).toEqual(['disconnected', 'disconnected']);
      for (const log of [logger, secondLogger]) {
        const errors = log.lines.filter((l) => l.level === 'error').map((l) => l.msg);
        expect(errors).toEqual([
          expect.stringContaining('another process polls getUpdates with the same TELEGRAM_BOT_TOKEN'),
        ]);
        expect(errors[0]).toContain('webhook mode');
        expect(JSON.stringify(log.lines)).not.toContain(TOKEN);
      }
      // Backoff, not a spin: after its n-th 409 a poller waits at least 20 ms × 2^n (at most 100 ms)
      // before it polls again; a poll that succeeds in between does not start the backoff over.
      for (const [n, conflict] of conflictsOf('first').entries()) {
        const next = api.calls.find(
          (c) => c.via === 'first' && c.method === 'getUpdates' && c.at >= conflict.at,
        );
        if (next) expect(next.at - conflict.at).toBeGreaterThanOrEqual(Math.min(100, 20 * 2 ** n));
      }
      // Messages still come in while the two take turns.
      api.push(api.textUpdate(13, 'tijdens het conflict'));
      await waitFor(() => ingress.received.length + secondIngress.received.length > 0, 20_000, 'the update');
    } finally {
      await second.stop();
    }
    // Alone again: ready once no 409 came for a while, said in one line; the state never flapped.
    await waitFor(() => first.state() === 'ready', 20_000, 'ready again');
    expect(logger.lines.filter((l) => l.msg.includes('polls alone again'))).toHaveLength(1);
    expect(logger.states()).toEqual(['ready', 'disconnected', 'ready']);
  });

  it('a webhook another process set for the same bot (409 for getUpdates) is named in one error line', async () => {
    const a = await startPolling({ pollTimeoutSeconds: 1 });
    api.webhook = { url: 'https://elders.example/telegram' };
    await waitFor(() => a.state() === 'disconnected', 20_000, 'disconnected');
    const polls = () => api.calls.filter((c) => c.method === 'getUpdates').length;
    const seen = polls();
    await waitFor(() => polls() >= seen + 3, 20_000, 'three more refused polls');
    const errors = logger.lines.filter((l) => l.level === 'error').map((l) => l.msg);
    expect(errors).toEqual([
      expect.stringContaining('another process set a webhook for the same TELEGRAM_BOT_TOKEN'),
    ]);
    expect(a.state()).toBe('disconnected');
  });

  it('stop() ends the open long poll at once and later sends are refused', async () => {
    const a = await startPolling();
    await waitFor(() => api.calls.some((c) => c.method === 'getUpdates'), 20_000, 'a long poll');
    const began = performance.now();
    await a.stop();
    // The poll would run its full 50 s; ending well before that (with room for a busy machine) shows
    // stop() cut it off rather than waited it out.
    expect(performance.now() - began).toBeLessThan(20_000);
    expect(a.state()).toBe('stopped');
    await expect(a.send({ to: to(1), text: 'te laat' })).rejects.toBeInstanceOf(ChannelStoppedError);
  });

  it('refuses a token Telegram rejects with a named error', async () => {
    adapter = createTelegramAdapter({
      texts: shippedTexts,
      token: '999:wrong-token',
      apiRoot: api.url,
    });
    await expect(adapter.start(ingress)).rejects.toBeInstanceOf(TelegramTokenRejectedError);
  });
});

describe('telegram adapter: sending within the rate limits', () => {
  it('reaches a Bot API under a path: the fake names the sender from an apiRoot ending in /via/<tag>/', async () => {
    // The fault suite gives each process its own tag, to tell which one sent a reply that came twice.
    const a = await startPolling({ apiRoot: `${api.url}/via/channels.2/` });
    await a.send({ to: to(7), text: 'van de tweede start' });
    expect(api.sentTo(7).map((m) => [m.text, m.via])).toEqual([['van de tweede start', 'channels.2']]);
    expect(api.sendAttempts.map((m) => m.via)).toEqual(['channels.2']);
  });

  it('after a 429 with retry_after 3 sends nothing to that chat for 3 s, then everything in order', async () => {
    const a = await startPolling({ limits: { perChatIntervalMs: 10 } });
    api.rateLimitSends({ chatId: '42', retryAfter: 3 });
    const resolvedAt: number[] = [];
    const sends = ['een', 'twee', 'drie'].map((text, i) =>
      a.send({ to: to(42), text }).then(() => void (resolvedAt[i] = Date.now())),
    );
    const other = a.send({ to: to(43), text: 'andere chat' });
    await Promise.all([...sends, other]);

    const limited = api.sendAttempts.find((x) => x.outcome === 'rate-limited')!;
    const attemptsTo42After = api.sendAttempts.filter(
      (x) => x.chatId === '42' && x !== limited && x.at >= limited.at,
    );
    expect(attemptsTo42After.length).toBe(3);
    for (const attempt of attemptsTo42After) expect(attempt.at - limited.at).toBeGreaterThanOrEqual(3000);
    expect(api.sentTo(42).map((m) => m.text)).toEqual(['een', 'twee', 'drie']);
    expect(resolvedAt[0]! - limited.at).toBeGreaterThanOrEqual(3000);
    // The other chat was not held up by this chat's pause: it went out before chat 42 was tried again.
    expect(api.sentTo(43)[0]!.at).toBeLessThan(attemptsTo42After[0]!.at);
  });

  it('keeps perChatIntervalMs between messages to one chat, while other chats go on', async () => {
    const a = await startPolling({ limits: { perChatIntervalMs: 250, perChatBurst: 1 } });
    await Promise.all(
      [1, 2, 3, 4].flatMap((n) => [
        a.send({ to: to(1), text: `a${n}` }),
        a.send({ to: to(2), text: `b${n}` }),
      ]),
    );
    for (const chat of [1, 2]) {
      const times = api.sentTo(chat).map((m) => m.at);
      expect(api.sentTo(chat).map((m) => m.text)).toEqual(
        [1, 2, 3, 4].map((n) => `${chat === 1 ? 'a' : 'b'}${n}`),
      );
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(250);
    }
    // Chat 2 did not wait for chat 1's interval: its first message went before chat 1's second.
    expect(api.sentTo(2)[0]!.at).toBeLessThanOrEqual(api.sentTo(1)[1]!.at);
  });

  it('sends a reply of up to perChatBurst messages to one chat at once and holds the next for the interval', async () => {
    // An interval of a minute: a test that waited for it would time out, so what arrives is the burst.
    const a = await startPolling({ limits: { perChatIntervalMs: 60_000, perChatBurst: 3 } });
    const burst = ['welkom', 'over uw gegevens', 'waar kan ik mee helpen?'].map((text) =>
      a.send({ to: to(1), text }),
    );
    const held = a.send({ to: to(1), text: 'de vierde' }).then(
      () => 'sent',
      (err: unknown) => err,
    );
    const other = ['b1', 'b2'].map((text) => a.send({ to: to(2), text }));
    await Promise.all([...burst, ...other]);
    expect(api.sentTo(1).map((m) => m.text)).toEqual([
      'welkom',
      'over uw gegevens',
      'waar kan ik mee helpen?',
    ]);
    expect(api.sentTo(2).map((m) => m.text)).toEqual(['b1', 'b2']);
    // The fourth waits for chat 1's interval; it was not even tried, and stopping ends the wait.
    await a.stop();
    expect(await held).toBeInstanceOf(ChannelStoppedError);
    expect(api.sendAttempts.filter((x) => x.chatId === '1')).toHaveLength(3);
  });

  it('sends at most globalPerSecond messages in any second over all chats', async () => {
    const a = await startPolling({ limits: { perChatIntervalMs: 10, globalPerSecond: 4 } });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => a.send({ to: to(100 + i), text: `bericht ${i}` })),
    );
    const times = api.sent.map((m) => m.at).sort((x, y) => x - y);
    expect(times).toHaveLength(10);
    // The pacer spaces the starts of the sends; the fake API sees arrivals, which a loaded machine can
    // delay by a few hundred milliseconds each. Unpaced, the ten would arrive within a few
    // milliseconds of each other, so the bound still tells pacing from none.
    for (let i = 4; i < times.length; i++)
      expect(times[i]! - times[i - 4]!).toBeGreaterThanOrEqual(1000 - 300);
  });

  it('splits text longer than 4096 characters, in order, with the choices on the last part', async () => {
    const a = await startPolling();
    const paragraph = `${'Dit is een lange zin over het wijkspreekuur. '.repeat(20).trim()}\n\n`;
    const text = paragraph.repeat(10).trim();
    expect(text.length).toBeGreaterThan(8192);
    await a.send({ to: to(77), text, choices: [{ id: 'ok', label: 'Begrepen' }] });
    const parts = api.sentTo(77);
    expect(parts.length).toBe(3);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(4096);
    expect(parts.map((p) => p.text).join('\n\n')).toBe(text);
    expect(parts.map((p) => p.replyMarkup === undefined)).toEqual([true, true, false]);
  });

  it('never splits inside a surrogate pair (emoji) when there is no space to split at', () => {
    const text = `${'x'.repeat(4095)}😀${'y'.repeat(10)}`;
    const parts = splitText(text, 4096);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts[1]!.startsWith('😀')).toBe(true);
  });
});

describe('telegram adapter: webhook mode', () => {
  let base: string;
  const path = '/hooks/telegram';

  beforeEach(async () => {
    adapter = createTelegramAdapter({
      texts: shippedTexts,
      token: TOKEN,
      apiRoot: api.url,
      logger,
      webhook: { url: `https://spreekuur.example.nl${path}`, secret: SECRET },
      limits: { perChatIntervalMs: 10 },
    });
    app = Fastify();
    adapter.mountWebhook(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}${path}`;
    await adapter.start(ingress);
  });

  async function post(body: unknown, secret?: string | string[]): Promise<number> {
    const headers = new Headers({ 'content-type': 'application/json' });
    if (typeof secret === 'string') headers.set('x-telegram-bot-api-secret-token', secret);
    if (Array.isArray(secret)) for (const s of secret) headers.append('x-telegram-bot-api-secret-token', s);
    const res = await fetch(base, { method: 'POST', headers, body: JSON.stringify(body) });
    await res.arrayBuffer();
    return res.status;
  }

  async function inPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
    const queue = [...items];
    await Promise.all(
      Array.from({ length: size }, async () => {
        for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
      }),
    );
  }

  it('sets the webhook with secret_token and does not poll', async () => {
    expect(adapter!.state()).toBe('ready');
    expect(api.webhook).toEqual({
      url: `https://spreekuur.example.nl${path}`,
      secretToken: SECRET,
      allowedUpdates: ['message', 'callback_query'],
    });
    expect(api.calls.some((c) => c.method === 'getUpdates')).toBe(false);
  });

  it('answers 1,000 posts with a wrong secret and 100 with none with 401 and handles none of them', async () => {
    const update = api.textUpdate(31, 'kunt u mij helpen?');
    const wrong = Array.from({ length: 1000 }, (_, i) => {
      switch (i % 5) {
        case 0:
          return SECRET.slice(0, -1) + (SECRET.endsWith('F') ? 'G' : 'F');
        case 1:
          return `${SECRET}x`;
        case 2:
          return SECRET.slice(0, 8);
        case 3:
          return SECRET.toUpperCase();
        default:
          return Math.random()
            .toString(36)
            .slice(2, 2 + (i % 40));
      }
    });
    const statuses: number[] = [];
    await inPool(
      [...wrong, ...Array.from({ length: 100 }, () => undefined as string | undefined)].map((s, i) => ({
        s,
        i,
      })),
      50,
      async ({ s }) => {
        statuses.push(await post(update, s));
      },
    );
    statuses.push(await post(update, [SECRET, SECRET]));
    expect(statuses).toHaveLength(1101);
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect(ingress.received).toHaveLength(0);

    expect(await post(update, SECRET)).toBe(200);
    expect(ingress.received.map((m) => m.text)).toEqual(['kunt u mij helpen?']);
  });

  it('handles the same update posted 20 times (at once) exactly once', async () => {
    const update = api.textUpdate(32, 'dubbel?');
    const statuses = await Promise.all(Array.from({ length: 20 }, () => post(update, SECRET)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(ingress.received).toHaveLength(1);
    expect(await post(update, SECRET)).toBe(200);
    expect(ingress.received).toHaveLength(1);
  });

  it('answers 500 when the ingress fails, so Telegram delivers again, and then handles it', async () => {
    const update = api.textUpdate(33, 'opnieuw');
    ingress.failNext(1);
    expect(await post(update, SECRET)).toBe(500);
    expect(await post(update, SECRET)).toBe(200);
    expect(ingress.received.map((m) => m.messageId)).toEqual([String(update.update_id)]);
  });

  it('answers a button press posted to the webhook', async () => {
    await adapter!.send({ to: to(34), text: 'Kies', choices: [{ id: 'yes', label: 'Ja' }] });
    const press = api.buttonPressUpdate(api.sentTo(34)[0]!, 0);
    expect(await post(press, SECRET)).toBe(200);
    expect(ingress.received[0]).toMatchObject({ choiceId: 'yes', text: 'Ja', userId: '34' });
    expect(api.answeredCallbacks).toHaveLength(1);
  });
});
