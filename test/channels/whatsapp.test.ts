import { shippedTexts } from '../support/texts.js';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelStoppedError } from '../../bots/common/errors.js';
import type { DeliveryState } from '../../bots/whatsapp/delivery-tracker.js';
import { UnknownRecipientError } from '../../bots/whatsapp/errors.js';
import { createWhatsAppAdapter, type WhatsAppAdapterOptions } from '../../bots/whatsapp/whatsapp-adapter.js';
import type { ChannelAdapter } from '../../src/ports/channel.js';
import type { OutboundMessage } from '../../src/ports/messages.js';
import { FakeWhatsApp } from '../support/fake-whatsapp-client.js';
import { RecordingIngress, waitFor } from '../support/recording-ingress.js';
import { RecordingLogger } from '../support/recording-logger.js';

const ANNA = '31612345678@c.us';
const BOB = '31687654321@c.us';
const to = (userId: string): OutboundMessage['to'] => ({ channel: 'whatsapp', userId });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let root: string;
let sessionDir: string;
let fake: FakeWhatsApp;
let ingress: RecordingIngress;
let logger: RecordingLogger;
let deliveries: Array<[string, DeliveryState]>;
let qrs: string[];
let adapter: ChannelAdapter | undefined;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'spreekuur-wa-'));
  sessionDir = join(root, 'session');
  fake = new FakeWhatsApp();
  ingress = new RecordingIngress();
  logger = new RecordingLogger();
  deliveries = [];
  qrs = [];
});

afterEach(async () => {
  await adapter?.stop();
  adapter = undefined;
  rmSync(root, { recursive: true, force: true });
});

function create(extra: Partial<WhatsAppAdapterOptions> = {}): ChannelAdapter {
  adapter = createWhatsAppAdapter({
    texts: shippedTexts,
    sessionDir,
    executablePath: '/usr/bin/chromium',
    clientFactory: fake.factory,
    logger,
    printQr: (qr) => qrs.push(qr),
    onDelivery: (id, state) => deliveries.push([id, state]),
    unconfirmedAfterMs: 200,
    retry: { initialMs: 20, maxMs: 80 },
    ...extra,
  });
  return adapter;
}

/** An adapter whose device is already linked, ready, with Anna having written first. */
async function readyWithAnna(extra: Partial<WhatsAppAdapterOptions> = {}): Promise<ChannelAdapter> {
  fake.linked = true;
  const a = create(extra);
  await a.start(ingress);
  await waitFor(() => a.state() === 'ready', 20_000, 'ready');
  fake.current.residentWrites(ANNA, 'Hallo');
  await ingress.waitForCount(1);
  return a;
}

describe('whatsapp adapter: link states', () => {
  it('goes starting → needs-qr (QR shown) → ready after the scan', async () => {
    const a = create();
    await a.start(ingress);
    expect(a.state()).toBe('starting');
    await waitFor(() => a.state() === 'needs-qr', 20_000, 'needs-qr');
    expect(qrs).toHaveLength(1);
    fake.current.scanQr();
    expect(a.state()).toBe('ready');
    expect(logger.states()).toEqual(['needs-qr', 'ready']);
    expect(fake.factoryCalls).toEqual([{ sessionDir, executablePath: '/usr/bin/chromium' }]);
  });

  it('prints the default QR on stderr, never on stdout', async () => {
    const written = { stdout: '', stderr: '' };
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    process.stdout.write = (chunk: string | Uint8Array): boolean => {
      written.stdout += String(chunk);
      return true;
    };
    process.stderr.write = (chunk: string | Uint8Array): boolean => {
      written.stderr += String(chunk);
      return true;
    };
    try {
      const a = create({ printQr: undefined });
      await a.start(ingress);
      await waitFor(() => a.state() === 'needs-qr', 20_000, 'needs-qr');
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
    expect(written.stdout).toBe('');
    expect(written.stderr).toMatch(/[▄▀█]/);
  });

  it('creates the session folder with mode 0700 and tightens an existing one', async () => {
    const a = create();
    await a.start(ingress);
    expect(statSync(sessionDir).mode & 0o777).toBe(0o700);
    await a.stop();

    const loose = join(root, 'loose');
    mkdirSync(loose, { mode: 0o755 });
    expect(statSync(loose).mode & 0o777).toBe(0o755);
    adapter = create({ sessionDir: loose });
    await adapter.start(ingress);
    expect(statSync(loose).mode & 0o777).toBe(0o700);
  });

  it('re-initialises with backoff after initialize fails, then becomes ready', async () => {
    fake.linked = true;
    fake.failInitialize = 2;
    const a = create();
    await a.start(ingress);
    await waitFor(() => a.state() === 'ready', 20_000, 'ready');
    expect(fake.clients).toHaveLength(3);
    expect(logger.states()).toEqual(['disconnected', 'ready']);
  });
});

describe('whatsapp adapter: inbound', () => {
  it('maps a text to InboundMessage with the WhatsApp id and message id', async () => {
    fake.linked = true;
    const a = create();
    await a.start(ingress);
    await waitFor(() => a.state() === 'ready', 20_000, 'ready');
    const message = fake.current.residentWrites(ANNA, 'Ik wil een afspraak');
    const [got] = await ingress.waitForCount(1);
    expect(got).toEqual({
      channel: 'whatsapp',
      userId: ANNA,
      messageId: message.id._serialized,
      text: 'Ik wil een afspraak',
      displayName: 'Anna',
    });
  });

  it('ignores groups, status updates, its own messages and system messages; media becomes hasMedia', async () => {
    const a = await readyWithAnna();
    const client = fake.current;
    client.residentWrites('120363025246125486@g.us', 'groepsbericht', { author: BOB });
    client.residentWrites('status@broadcast', 'mijn status', { isStatus: true });
    client.residentWrites(BOB, 'door mijzelf gestuurd', { fromMe: true });
    client.residentWrites(BOB, '', { type: 'e2e_notification' });
    client.residentWrites(BOB, '', { type: 'revoked' });
    client.residentWrites(BOB, '', { type: 'image', hasMedia: true });
    client.residentWrites(BOB, 'foto van de stoep', { type: 'image', hasMedia: true });
    client.residentWrites(BOB, '', { type: 'ptt', hasMedia: true });
    client.residentWrites(BOB, 'BEGIN:VCARD\nTEL:+31611111111\nEND:VCARD', { type: 'vcard' });
    client.residentWrites(BOB, 'laatste');
    const got = await ingress.waitForCount(6);
    await sleep(30);
    expect(got.slice(1).map((m) => [m.userId, m.text, m.hasMedia ?? false])).toEqual([
      [BOB, '', true],
      [BOB, 'foto van de stoep', true],
      [BOB, '', true],
      [BOB, '', true],
      [BOB, 'laatste', false],
    ]);
    expect(a.state()).toBe('ready');
  });

  it('retries the ingress when it briefly fails, so the message is not lost', async () => {
    await readyWithAnna();
    ingress.failNext(2);
    fake.current.residentWrites(ANNA, 'tweede bericht');
    const got = await ingress.waitForCount(2);
    expect(got.map((m) => m.text)).toEqual(['Hallo', 'tweede bericht']);
  });
});

describe('whatsapp adapter: outbound', () => {
  it('renders choices as a numbered list with the hint from data/i18n', async () => {
    const a = await readyWithAnna();
    await a.send({
      to: to(ANNA),
      text: 'Wat wilt u doen?',
      choices: [
        { id: 'book', label: 'Afspraak maken' },
        { id: 'ask', label: 'Vraag stellen' },
      ],
    });
    await a.send({ to: to(ANNA), text: 'Zonder keuzes.' });
    const hint = (JSON.parse(readFileSync('data/i18n/nl/channels.json', 'utf8')) as Record<string, string>)[
      'whatsapp.choice-hint'
    ];
    expect(hint).toBe('Stuur het nummer van uw keuze.');
    expect(fake.sent.map((s) => s.content)).toEqual([
      `Wat wilt u doen?\n\n1. Afspraak maken\n2. Vraag stellen\n\n${hint}`,
      'Zonder keuzes.',
    ]);
  });

  it('uses the English hint for language en', async () => {
    const a = await readyWithAnna({ language: 'en' });
    await a.send({ to: to(ANNA), text: 'What would you like?', choices: [{ id: 'x', label: 'Book' }] });
    expect(fake.sent[0]?.content).toBe('What would you like?\n\n1. Book\n\nSend the number of your choice.');
  });

  it('keeps sends made while disconnected and sends them in order once ready again', async () => {
    const a = await readyWithAnna();
    await a.send({ to: to(ANNA), text: 'voor de storing' });
    fake.failInitialize = 2; // the first reconnects fail, so the wait is visible
    fake.current.disconnect('NAVIGATION');
    expect(a.state()).toBe('disconnected');
    const settled: string[] = [];
    const pending = ['een', 'twee', 'drie'].map((text) =>
      a.send({ to: to(ANNA), text }).then(() => void settled.push(text)),
    );
    await sleep(30);
    expect(settled).toEqual([]);
    expect(fake.sent.map((s) => s.content)).toEqual(['voor de storing']);
    await Promise.all(pending);
    expect(a.state()).toBe('ready');
    expect(settled).toEqual(['een', 'twee', 'drie']);
    expect(fake.sent.map((s) => s.content)).toEqual(['voor de storing', 'een', 'twee', 'drie']);
    expect(fake.sent.slice(1).every((s) => s.client === fake.clients.length - 1)).toBe(true);
    expect(fake.clients[0]?.destroyed).toBe(true);
    expect(fake.refusedSends).toBe(0);
  });

  it('after a logout, sends wait through needs-qr untouched and go out in order after the new scan', async () => {
    const a = await readyWithAnna();
    fake.current.logout();
    const pending = [a.send({ to: to(ANNA), text: 'a' })];
    await waitFor(() => a.state() === 'needs-qr', 20_000, 'needs-qr');
    pending.push(a.send({ to: to(ANNA), text: 'b' }));
    await sleep(30);
    expect(fake.sent).toHaveLength(0);
    expect(fake.refusedSends).toBe(0);
    fake.current.scanQr();
    await Promise.all(pending);
    expect(fake.sent.map((s) => s.content)).toEqual(['a', 'b']);
    expect(qrs.length).toBeGreaterThanOrEqual(1);
  });

  it('regression: a send that fails because the link died silently is kept and sent after reconnecting', async () => {
    const a = await readyWithAnna();
    fake.current.dropSilently();
    await a.send({ to: to(ANNA), text: 'bericht tijdens stille storing' });
    expect(fake.sent.map((s) => [s.content, s.client])).toEqual([['bericht tijdens stille storing', 1]]);
    expect(logger.states()).toContain('disconnected');
  });

  it('a send WhatsApp does not answer within sendTimeoutMs fails (link up), and the next one goes', async () => {
    const a = await readyWithAnna({ sendTimeoutMs: 100 });
    fake.stallSends = 1;
    await expect(a.send({ to: to(ANNA), text: 'blijft hangen' })).rejects.toThrow(/no answer within/);
    await a.send({ to: to(ANNA), text: 'daarna' });
    expect(fake.sent.map((s) => s.content)).toEqual(['daarna']);
    expect(fake.clients).toHaveLength(1);
  });

  it('refuses to write to an id that never wrote first, with a named error', async () => {
    const a = await readyWithAnna();
    await expect(a.send({ to: to(BOB), text: 'ongevraagd' })).rejects.toBeInstanceOf(UnknownRecipientError);
    await expect(a.send({ to: to('120363025246125486@g.us'), text: 'groep' })).rejects.toBeInstanceOf(
      UnknownRecipientError,
    );
    expect(fake.sent).toHaveLength(0);
    fake.current.residentWrites(BOB, 'nu schrijf ik wel');
    await ingress.waitForCount(2);
    await a.send({ to: to(BOB), text: 'welkom' });
    expect(fake.sent.map((s) => s.chatId)).toEqual([BOB]);
  });

  it('asks knownContact when the id is not in memory (after a restart)', async () => {
    const asked: string[] = [];
    const a = await readyWithAnna({
      knownContact: async (userId) => {
        asked.push(userId);
        return userId === BOB;
      },
    });
    await a.send({ to: to(BOB), text: 'antwoord op uw vraag van gisteren' });
    await expect(a.send({ to: to('31600000000@c.us'), text: 'x' })).rejects.toBeInstanceOf(
      UnknownRecipientError,
    );
    expect(asked).toEqual([BOB, '31600000000@c.us']);
    expect(fake.sent.map((s) => s.chatId)).toEqual([BOB]);
  });

  it('regression: a slow knownContact lookup does not reorder messages to one person', async () => {
    let calls = 0;
    const a = await readyWithAnna({
      knownContact: async () => {
        calls += 1;
        if (calls === 1) await sleep(100);
        return true;
      },
    });
    await Promise.all([a.send({ to: to(BOB), text: 'eerste' }), a.send({ to: to(BOB), text: 'tweede' })]);
    expect(fake.sent.map((s) => s.content)).toEqual(['eerste', 'tweede']);
  });

  it('regression: a reconnect while the queue waits on a knownContact lookup does not stall the queue', async () => {
    const a = await readyWithAnna({
      knownContact: async () => {
        await sleep(150);
        return true;
      },
    });
    // Anna is known in memory, so the queue is already draining when it reaches Bob's lookup.
    const sending = [
      a.send({ to: to(ANNA), text: 'voor' }),
      a.send({ to: to(BOB), text: 'na herverbinden' }),
    ];
    await sleep(5);
    fake.current.disconnect();
    await waitFor(() => a.state() === 'ready', 20_000, 'ready again');
    await Promise.all(sending);
    expect(fake.sent.map((s) => [s.content, s.client])).toEqual([
      ['voor', 0],
      ['na herverbinden', 1],
    ]);
  });

  it('reports acks as sent, delivered and read, each once, for the outbox id', async () => {
    const a = await readyWithAnna();
    await a.send({ id: 'out-1', to: to(ANNA), text: 'Uw afspraak staat.' });
    const message = fake.sent[0]!.message;
    fake.current.ack(message, 1);
    fake.current.ack(message, 2);
    fake.current.ack(message, 2);
    fake.current.ack(message, 3);
    await waitFor(() => deliveries.length >= 3, 20_000, 'three delivery reports');
    await sleep(250); // and no more come
    expect(deliveries).toEqual([
      ['out-1', 'sent'],
      ['out-1', 'delivered'],
      ['out-1', 'read'],
    ]);
  });

  it('reports unconfirmed when no ack came within unconfirmedAfterMs, and a late ack still counts', async () => {
    const a = await readyWithAnna();
    const began = Date.now();
    await a.send({ id: 'out-2', to: to(ANNA), text: 'Hoort u mij?' });
    await a.send({ to: to(ANNA), text: 'zonder outbox-id' });
    await waitFor(() => deliveries.length > 0, 20_000, 'a delivery report');
    // Node timers may fire a millisecond early by the wall clock; allow that much.
    expect(Date.now() - began).toBeGreaterThanOrEqual(195);
    fake.current.ack(fake.sent[0]!.message, 1);
    await waitFor(() => deliveries.length >= 2, 20_000, 'the late ack');
    await sleep(250); // and no more come
    expect(deliveries).toEqual([
      ['out-2', 'unconfirmed'],
      ['out-2', 'sent'],
    ]);
  });

  it('on stop refuses waiting sends with ChannelStoppedError and destroys the client', async () => {
    const a = await readyWithAnna();
    fake.current.disconnect();
    fake.failInitialize = 100;
    const waiting = a.send({ to: to(ANNA), text: 'blijft liggen' });
    await a.stop();
    await expect(waiting).rejects.toBeInstanceOf(ChannelStoppedError);
    expect(a.state()).toBe('stopped');
    expect(fake.clients.every((c) => c.destroyed)).toBe(true);
  });

  it('never writes phone numbers or message text to the log', async () => {
    const a = await readyWithAnna();
    ingress.failNext(1);
    fake.current.residentWrites(ANNA, 'geheime inhoud');
    await ingress.waitForCount(2);
    fake.current.dropSilently();
    await a.send({ to: to(ANNA), text: 'nog een geheim' });
    await expect(a.send({ to: to(BOB), text: 'x' })).rejects.toBeInstanceOf(UnknownRecipientError);
    fake.current.disconnect(`LOGOUT ${ANNA}`);
    await waitFor(() => a.state() === 'ready', 20_000, 'ready again');
    const logged = JSON.stringify(logger.lines);
    expect(logger.lines.length).toBeGreaterThan(3);
    for (const secret of ['31612345678', '31687654321', 'geheime inhoud', 'nog een geheim', sessionDir]) {
      expect(logged).not.toContain(secret);
    }
  });
});
