import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWhatsAppAdapter } from '../../bots/whatsapp/whatsapp-adapter.js';
import { translator } from '../../src/i18n/translator.js';
import { ManualClock } from '../../src/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app-driver.js';
import { readGraphMessage } from '../support/channel-drivers.js';
import { FakeWhatsApp } from '../support/fake-whatsapp-client.js';
import { sqliteUrl } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';
import { startCloudServer, type CloudServer } from '../support/whatsapp-cloud-server.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const HOUR = 3600_000;
const nl = translator(shippedTexts, 'nl');
const SUBSCRIBE = ['hallo', 'blijf op de hoogte', '2282 AB', 'nee', '1', 'ja'];
const draft = {
  title: 'Nieuw plein bij de Cluis',
  text: 'Wij maken het plein groener.',
  districts: ['muziekbuurt'],
  level: 'raadplegen',
};

async function until(done: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function handled(t: TestApp): Promise<number> {
  const rows = await t.app.db.run((m) =>
    m.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM inbound WHERE status <> 'pending'`),
  );
  return Number(rows[0]?.n ?? 0);
}

describe('district updates on whatsapp-web.js: it never starts a conversation', () => {
  it('sends only to subscribers who wrote within 24 hours; the others get it first thing at their next message', async () => {
    const world = new FakeWhatsApp();
    world.linked = true;
    const adapter = createWhatsAppAdapter({
      texts: shippedTexts,
      sessionDir: join(mkdtempSync(join(tmpdir(), 'spreekuur-wa-')), 'session'),
      executablePath: '/usr/bin/chromium',
      clientFactory: world.factory,
    });
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    const t = await startTestApp({
      databaseUrl: sqliteUrl(),
      clock,
      channels: [adapter],
      env: { WHATSAPP_ENABLED: 'true' },
    });
    cleanups.push(() => t.driver.close());
    await until(() => adapter.state() === 'ready', 'WhatsApp to be ready');
    const writes = async (chatId: string, text: string) => {
      const before = await handled(t);
      world.current.residentWrites(chatId, text);
      await until(async () => (await handled(t)) > before, 'the message to be handled');
      await t.app.settle();
    };
    const recent = '31611110001@c.us';
    const quiet = '31611110002@c.us';
    for (const text of SUBSCRIBE) await writes(recent, text);
    for (const text of SUBSCRIBE) await writes(quiet, text);
    clock.advance(25 * HOUR);
    await writes(recent, 'dank u');
    const mark = world.sent.length;

    const { updateId } = await t.app.commands.participation.updates.send(draft, { kind: 'cli' });
    await t.app.settle();
    const sent = world.sent.slice(mark);
    expect(sent.filter((s) => s.chatId === recent).map((s) => s.content.split('\n')[0])).toEqual([
      nl('participation.update.title', { title: draft.title }),
    ]);
    expect(sent.filter((s) => s.chatId === quiet)).toEqual([]);
    const [listed] = await t.app.commands.participation.updates.list(1);
    expect(listed?.id).toBe(updateId);
    expect(listed?.counts?.byStatus).toMatchObject({ sent: 1, held: 1 });

    // Hours later still nothing; at their next message the update comes first, then the reply.
    await t.driver.advance!(6 * HOUR);
    expect(world.sent.slice(mark).filter((s) => s.chatId === quiet)).toEqual([]);
    const before = world.sent.length;
    await writes(quiet, 'menu');
    const next = world.sent.slice(before).filter((s) => s.chatId === quiet);
    expect(next[0]?.content).toContain(draft.title);
    expect(next[0]?.content).toContain(nl('participation.level.raadplegen'));
    expect(
      next
        .slice(1)
        .map((s) => s.content)
        .join('\n'),
    ).toContain(nl('core.menu.prompt'));
  });
});

describe('district updates on the WhatsApp Business Platform (Cloud API)', () => {
  let cloud: CloudServer | undefined;
  afterEach(async () => {
    await cloud?.close();
    cloud = undefined;
  });

  async function say(c: CloudServer, from: string, text: string): Promise<void> {
    const before = await handled(c.t);
    expect((await c.post(c.hooks.text(from, text))).status).toBe(200);
    await until(async () => (await handled(c.t)) > before, 'the message to be handled');
    await c.t.app.settle();
  }

  it('inside the 24-hour window the update itself; outside it only the approved template, and the update once they reply', async () => {
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    cloud = await startCloudServer({ databaseUrl: sqliteUrl(), clock });
    const c = cloud;
    const inside = '31612340001';
    const outside = '31612340002';
    for (const text of SUBSCRIBE) await say(c, outside, text);
    clock.advance(25 * HOUR);
    for (const text of SUBSCRIBE) await say(c, inside, text);
    const mark = c.api.sent.length;

    await c.t.app.commands.participation.updates.send(draft, { kind: 'cli' });
    await c.t.app.settle();
    const sent = c.api.sent.slice(mark);
    const toInside = sent.filter((s) => s.to === inside);
    expect(toInside.map((s) => s.type)).toEqual(['text']);
    expect(readGraphMessage(toInside[0]!).text).toContain(nl('participation.level.raadplegen'));
    const toOutside = sent.filter((s) => s.to === outside);
    expect(toOutside.map((s) => s.type)).toEqual(['template']);
    const template = (toOutside[0]!.body as { template: { name: string; components: unknown } }).template;
    expect(template.name).toBe('spreekuur_wijknieuws');
    expect(template.components).toEqual([
      { type: 'body', parameters: [{ type: 'text', text: draft.title }] },
    ]);
    const [listed] = await c.t.app.commands.participation.updates.list(1);
    expect(listed?.counts).toMatchObject({ recipients: 2, templates: 1 });

    const before = c.api.sent.length;
    await say(c, outside, 'ok');
    const after = c.api.sent.slice(before).filter((s) => s.to === outside);
    expect(after[0]?.type).toBe('text');
    expect(readGraphMessage(after[0]!).text).toContain(draft.title);
    expect(readGraphMessage(after[0]!).text).toContain(nl('participation.level.raadplegen'));
  });
});
