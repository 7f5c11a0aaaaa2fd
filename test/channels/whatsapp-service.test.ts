import { shippedTexts } from '../support/texts.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWhatsAppAdapter } from '../../bots/whatsapp/whatsapp-adapter.js';
import { startTestApp } from '../support/app-driver.js';
import { FakeWhatsApp } from '../support/fake-whatsapp-client.js';
import { sqliteUrl } from '../support/services.js';

async function until(done: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('WhatsApp end to end', () => {
  it('a disconnect in the middle of a conversation loses no reply; they go out in order after ready', async () => {
    const world = new FakeWhatsApp();
    world.linked = true;
    const delivery: string[] = [];
    const adapter = createWhatsAppAdapter({
      texts: shippedTexts,
      sessionDir: join(mkdtempSync(join(tmpdir(), 'spreekuur-wa-')), 'session'),
      executablePath: '/usr/bin/chromium',
      clientFactory: world.factory,
      retry: { initialMs: 300, maxMs: 300 },
      onDelivery: (id, state) => delivery.push(`${id}:${state}`),
    });
    const t = await startTestApp({
      databaseUrl: sqliteUrl(),
      channels: [adapter],
    });
    const resident = '31611112222@c.us';
    try {
      await until(() => adapter.state() === 'ready', 20_000, 'ready');
      world.current.residentWrites(resident, 'hallo');
      await until(() => world.sent.length >= 3, 20_000, 'the welcome');
      world.current.disconnect();
      await until(() => adapter.state() !== 'ready', 20_000, 'disconnected');

      // Messages that reached the service just before the link dropped: their replies must wait.
      await t.app.engine.receive({
        channel: 'whatsapp',
        userId: resident,
        messageId: 'late-1',
        text: 'wijkwethouder',
      });
      await t.app.engine.receive({
        channel: 'whatsapp',
        userId: resident,
        messageId: 'late-2',
        text: '2288 GD',
      });
      expect(await t.app.uow.run((r) => r.conversations.countUndelivered())).toBeGreaterThanOrEqual(3);

      await until(() => adapter.state() === 'ready', 20_000, 'ready again');
      await until(
        async () => (await t.app.uow.run((r) => r.conversations.countUndelivered())) === 0,
        10_000,
        'the outbox to empty',
      );
      const after = world.sent.slice(3).map((s) => s.content.split('\n')[0]);
      expect(after).toEqual([
        'Wat is uw postcode? Bijvoorbeeld: 2282 AB.',
        'U woont in de wijk Rijswijk-Buiten. Uw wijkwethouder is Fatma Yilmaz.',
        'Zullen we uw wijk onthouden? Dan hoeft u de volgende keer uw postcode niet te geven.',
      ]);
      expect(world.sent.every((s) => s.chatId === resident)).toBe(true);
      expect(adapter.state()).toBe('ready');
      const health = await t.app.health();
      expect(health.channels.whatsapp).toBe('ready');
    } finally {
      await t.driver.close();
    }
  });
});
