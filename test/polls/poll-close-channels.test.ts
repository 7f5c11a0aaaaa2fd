import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TemplateSet } from '../../bots/whatsapp-cloud/templates.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { TestApp } from '../support/app-driver.js';
import { HOUR, pollTestApps } from '../support/poll-fixture.js';
import { sqliteUrl } from '../support/services.js';
import { query } from '../privacy/scan.js';

const { start } = pollTestApps();

const CLOUD = {
  WHATSAPP_CLOUD_ENABLED: 'true',
  WHATSAPP_CLOUD_TOKEN: 'EAAG0123456789abcdefghij',
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: '109876543210',
  WHATSAPP_CLOUD_APP_SECRET: '0123456789abcdef0123',
  WHATSAPP_CLOUD_VERIFY_TOKEN: 'a-verify-token-of-ours',
};

/** A WhatsApp resident whose last own message was `hoursAgo` hours ago, and who answered the poll. */
async function answered(t: TestApp, pollId: string, userId: string, hoursAgo: number): Promise<void> {
  const now = t.app.clock.now();
  const address = { channel: 'whatsapp', userId };
  await t.app.uow.transaction(async (r) => {
    const id = await r.conversations.storeInbound({
      dedupeKey: `whatsapp:${randomUUID()}`,
      address,
      kind: 'message',
      text: 'peiling',
      now: new Date(now.getTime() - hoursAgo * HOUR),
    });
    await r.conversations.markHandled(id!, now);
    await r.polls.answer({ pollId, address, districtId: 'oud-rijswijk', choice: 0, answeredAt: now });
  });
}

/** Closes a poll two WhatsApp residents answered (one wrote 2 hours ago, one 30 hours ago). */
async function closeWithTwo(env: Record<string, string>) {
  const t = await start({
    databaseUrl: sqliteUrl(),
    clock: new ManualClock('2026-12-01T09:00:00Z'),
    env,
    app: { runJobs: false },
  });
  const { app } = t;
  const poll = await app.commands.polls.create(
    { question: 'Bankjes?', options: ['Ja', 'Nee'], districts: ['oud-rijswijk'] },
    'test',
  );
  await answered(t, poll.id, '31600000001@c.us', 2);
  await answered(t, poll.id, '31600000002@c.us', 30);
  const closed = await app.commands.polls.close(poll.id, 'Wij zetten er vier neer.', 'test');
  await app.settle();
  const outbox = await query<{ user_id: string; body: string }>(
    app.db,
    `SELECT user_id, body FROM outbox WHERE kind = 'message' AND channel = 'whatsapp' ORDER BY user_id`,
  );
  const states = await query<{ key: string; state: string }>(
    app.db,
    `SELECT key, state FROM conversations WHERE key LIKE 'whatsapp:%' ORDER BY key`,
  );
  return { closed, outbox, states };
}

describe('closing a poll, by WhatsApp kind', () => {
  it('whatsapp-web.js never writes first after 24 hours: that resident hears it with their next reply', async () => {
    const { closed, outbox, states } = await closeWithTwo({ WHATSAPP_ENABLED: 'true' });
    expect({ told: closed.told, notTold: closed.notTold }).toEqual({ told: 1, notTold: 1 });
    expect(outbox.map((o) => o.user_id)).toEqual(['31600000001@c.us']);
    expect(outbox[0]?.body).toContain('Wij zetten er vier neer.');
    // Held in the conversation for the next message, not in the outbox.
    const late = states.find((s) => s.key === 'whatsapp:31600000002@c.us');
    expect(late?.state).toContain('Wij zetten er vier neer.');
  });

  it('the Cloud API: both go to the outbox; outside the window its adapter sends the poll.closed template', async () => {
    const { closed, outbox } = await closeWithTwo(CLOUD);
    expect({ told: closed.told, notTold: closed.notTold }).toEqual({ told: 2, notTold: 0 });
    expect(outbox.map((o) => o.user_id)).toEqual(['31600000001@c.us', '31600000002@c.us']);
    // The notice names the event, so the adapter picks the poll's own approved templates.
    const templates = TemplateSet.load('data');
    const context = { municipality: 'Rijswijk', timeZone: 'Europe/Amsterdam', now: new Date() };
    expect(templates.build({ name: 'poll.closed', payload: {} }, 'nl', context).name).toBe(
      'spreekuur_peiling_uitkomst',
    );
    expect(templates.build({ name: 'poll.invite', payload: {} }, 'en', context)).toMatchObject({
      name: 'spreekuur_peiling_nieuw',
      language: { code: 'en' },
    });
  });
});
