import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { signBody } from '../../bots/whatsapp-cloud/webhook-route.js';
import { ManualClock } from '../../src/shared/clock.js';
import { readGraphMessage } from '../support/channel-drivers.js';
import type { GraphSent } from '../support/fake-graph-api.js';
import { sqliteUrl } from '../support/services.js';
import {
  APP_SECRET,
  VERIFY_TOKEN,
  startCloudServer,
  type CloudServer,
} from '../support/whatsapp-cloud-server.js';

const RESIDENT = '31612340001';
let cloud: CloudServer | undefined;

afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

async function start(options: Parameters<typeof startCloudServer>[0] = { databaseUrl: sqliteUrl() }) {
  cloud = await startCloudServer(options);
  return cloud;
}

async function count(c: CloudServer, table: string, where = '1 = 1'): Promise<number> {
  const rows = await c.t.app.db.run((m) =>
    m.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`),
  );
  return Number(rows[0]?.n ?? 0);
}

/** Waits until every stored message was handled (the webhook answers once they are stored), then everything sent. */
async function settled(c: CloudServer): Promise<void> {
  await expect
    .poll(() => count(c, 'inbound', `status = 'pending'`), { timeout: 20_000, interval: 10 })
    .toBe(0);
  await c.t.app.settle();
}

/** Posts a resident's text and waits until everything it caused was sent. */
async function say(c: CloudServer, text: string, from = RESIDENT): Promise<GraphSent[]> {
  const mark = c.api.sent.length;
  const response = await c.post(c.hooks.text(from, text));
  expect(response.status).toBe(200);
  await settled(c);
  return c.api.sent.slice(mark);
}

const texts = (sent: GraphSent[]) => sent.map((s) => readGraphMessage(s).text);

describe('WhatsApp Cloud API webhook', () => {
  it('answers the verification handshake only for subscribe with the right token', async () => {
    const c = await start();
    const get = (query: string) => fetch(`${c.url}/whatsapp/webhook?${query}`);
    const ok = await get(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    for (const query of [
      `hub.mode=subscribe&hub.verify_token=wrong-token-0123456789&hub.challenge=1`,
      `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
      `hub.mode=subscribe&hub.challenge=1`,
      `hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
      '',
    ]) {
      const refused = await get(query);
      expect(refused.status, query).toBe(403);
      expect(await refused.text()).not.toContain('1');
    }
  });

  it('handles none of 1,000 posts with a wrong, missing or malformed signature', async () => {
    const c = await start();
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 20; batch++) {
      const posts = Array.from({ length: 50 }, (_, i) => {
        const n = batch * 50 + i;
        const body = c.hooks.text(String(31600000000 + n), `hallo ${n}`);
        const raw = JSON.stringify(body);
        const signature = [
          signBody(raw, 'another-app-secret-0123456789'), // another app's secret
          null, // none at all
          signBody(`${raw} `, APP_SECRET), // the right secret over other bytes
          `sha256=${'0'.repeat(64)}`,
          signBody(raw, APP_SECRET).replace('sha256=', 'sha1='),
          'sha256=zz',
          signBody(raw, APP_SECRET).slice(0, 40),
        ][n % 7]!;
        return c.post(body, signature).then((r) => statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1));
      });
      await Promise.all(posts);
    }
    await settled(c);
    expect(Object.fromEntries(statuses)).toEqual({ 401: 1000 });
    expect(await count(c, 'inbound')).toBe(0);
    expect(c.api.attempts).toHaveLength(0);
    // The same body with the right signature is handled.
    expect(texts(await say(c, 'hallo')).length).toBeGreaterThan(0);
    expect(await count(c, 'inbound')).toBe(1);
  });

  it('handles a message id delivered 20 times once, with one reply', async () => {
    const c = await start();
    await say(c, 'hallo');
    const id = `wamid.${randomUUID()}`;
    const body = c.hooks.text(RESIDENT, 'menu', { id });
    const mark = c.api.sent.length;
    const answers = await Promise.all(Array.from({ length: 20 }, () => c.post(body)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    await settled(c);
    const replies = c.api.sent.slice(mark);
    // One menu, as for one 'menu'; not even the engine's "you sent that twice" notice.
    expect(texts(replies)).toHaveLength(1);
    expect(texts(replies)[0]).toMatch(/^Waar kan ik u mee helpen/);
    expect(await count(c, 'inbound', `dedupe_key = 'whatsapp:${id}'`)).toBe(1);
  });
});

type Interactive = {
  type: 'button' | 'list';
  body: { text: string };
  action: {
    buttons?: { reply: { id: string; title: string } }[];
    sections?: { rows: { id: string; title: string; description?: string }[] }[];
    button?: string;
  };
};
const interactiveOf = (s: GraphSent) => (s.body as { interactive: Interactive }).interactive;

describe('WhatsApp Cloud API choices', () => {
  it('renders 2 choices as reply buttons, 5 as a list and 12 as a numbered text', async () => {
    const c = await start();
    await say(c, 'hallo');
    const to = { channel: 'whatsapp', userId: `${RESIDENT}@c.us` };
    const choices = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `c${i + 1}`, label: `Keuze ${i + 1}` }));
    const mark = c.api.sent.length;
    await c.adapter.send({ to, text: 'Twee', choices: choices(2) });
    await c.adapter.send({ to, text: 'Vijf', choices: choices(5) });
    await c.adapter.send({ to, text: 'Twaalf', choices: choices(12) });
    const [two, five, twelve] = c.api.sent.slice(mark);
    expect(interactiveOf(two!)).toEqual({
      type: 'button',
      body: { text: 'Twee' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'c1', title: 'Keuze 1' } },
          { type: 'reply', reply: { id: 'c2', title: 'Keuze 2' } },
        ],
      },
    });
    const list = interactiveOf(five!);
    expect(list.type).toBe('list');
    expect(list.body.text).toBe('Vijf');
    expect(list.action.button).toBe('Kies een optie');
    expect(list.action.sections?.[0]?.rows).toEqual(choices(5).map((ch) => ({ id: ch.id, title: ch.label })));
    expect(twelve!.type).toBe('text');
    const body = (twelve!.body as { text: { body: string } }).text.body;
    expect(body).toContain('1. Keuze 1\n');
    expect(body).toContain('12. Keuze 12\n');
    expect(body).toContain('Stuur het nummer van uw keuze.');
  });

  it('cuts long titles at a word (buttons 20, rows 24) and puts every full choice in the text', async () => {
    const c = await start();
    await say(c, 'hallo');
    const to = { channel: 'whatsapp', userId: `${RESIDENT}@c.us` };
    const long = [
      { id: 'a', label: 'Ja, met wethouder Fatma Yilmaz' },
      { id: 'b', label: 'Nee, met een andere wethouder' },
    ];
    const mark = c.api.sent.length;
    await c.adapter.send({ to, text: 'Met wie?', choices: long });
    await c.adapter.send({
      to,
      text: 'Welk onderwerp?',
      choices: [...long, ...long, ...long].map((ch, i) => ({ ...ch, id: `${ch.id}${i}` })),
    });
    const [buttons, list] = c.api.sent.slice(mark).map(interactiveOf);
    const titles = buttons!.action.buttons!.map((b) => b.reply.title);
    expect(titles.every((t) => [...t].length <= 20 && t.endsWith('…'))).toBe(true);
    expect(buttons!.body.text).toBe(
      'Met wie?\n\n1. Ja, met wethouder Fatma Yilmaz\n2. Nee, met een andere wethouder',
    );
    const rows = list!.action.sections![0]!.rows;
    expect(rows.every((r) => [...r.title].length <= 24)).toBe(true);
    expect(rows[0]).toEqual({ id: 'a0', title: 'Ja, met wethouder Fatma…', description: 'Yilmaz' });
    expect(rows[1]).toEqual({ id: 'b1', title: 'Nee, met een andere…', description: 'wethouder' });
    // Both read back to the full labels.
    expect(readGraphMessage(c.api.sent[mark]!).choices?.map((ch) => ch.label)).toEqual(
      long.map((l) => l.label),
    );
  });

  it('a pressed button and a chosen list row select the offered choice', async () => {
    const c = await start();
    await say(c, 'hallo');
    await say(c, 'vraag');
    const offered = await say(c, 'De stoeptegels voor mijn huis liggen los.');
    const withButtons = offered.find((s) => s.type === 'interactive' && interactiveOf(s).type === 'button')!;
    const done = readGraphMessage(withButtons).choices!.find((ch) => ch.label === 'Klaar')!;
    let mark = c.api.sent.length;
    await c.post(c.hooks.buttonReply(RESIDENT, done.id, 'Klaar'));
    await settled(c);
    expect(texts(c.api.sent.slice(mark)).join('\n')).toMatch(/postcode/);
    const confirm = (await say(c, '2288 GD')).find((s) => s.type === 'interactive')!;
    const yes = readGraphMessage(confirm).choices!.find((ch) => ch.label.startsWith('Ja'))!;
    mark = c.api.sent.length;
    await c.post(c.hooks.buttonReply(RESIDENT, yes.id, 'Ja'));
    await settled(c);
    const topics = c.api.sent.slice(mark).find((s) => s.type === 'interactive')!;
    expect(interactiveOf(topics).type).toBe('list');
    expect(interactiveOf(topics).action.sections![0]!.rows).toHaveLength(8);
    const green = readGraphMessage(topics).choices!.find((ch) => ch.label === 'Groen en openbare ruimte')!;
    mark = c.api.sent.length;
    await c.post(c.hooks.listReply(RESIDENT, green.id, 'Groen en openbare ruimte'));
    await settled(c);
    const summary = texts(c.api.sent.slice(mark)).join('\n');
    expect(summary).toMatch(/stoeptegels/);
    expect(summary).toMatch(/Groen en openbare ruimte/);
  });
});

const HOUR = 3600_000;

async function heldTexts(c: CloudServer): Promise<string[]> {
  const rows = await c.t.app.db.run((m) =>
    m.query<{ body: string }[]>(`SELECT body FROM held_messages ORDER BY id`),
  );
  return rows.map((r) => (JSON.parse(r.body) as { text: string }).text);
}

describe('WhatsApp Cloud API: the 24-hour window', () => {
  it('sends a reminder due 30 hours after the last message as the configured template, and the full text once the resident writes', async () => {
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    const c = await start({ databaseUrl: sqliteUrl(), clock });
    for (const text of [
      'hallo',
      'afspraak',
      '2288 GD',
      'nee',
      'Ja, met Fatma Yilmaz',
      '1',
      'De speeltuin',
      '1',
    ])
      await say(c, text);
    const [booking] = await c.t.app.db.run((m) =>
      m.query<{ slot_start: number }[]>(`SELECT slot_start FROM bookings`),
    );
    const dayBefore = Number(booking!.slot_start) - 24 * HOUR;
    // The resident's last message: 30 hours before the day-before reminder.
    clock.set(new Date(dayBefore - 30 * HOUR));
    await say(c, 'menu');
    const mark = c.api.sent.length;
    await c.t.driver.advance!(30 * HOUR + 60_000);
    const sent = c.api.sent.slice(mark);
    expect(sent.map((s) => s.type)).toEqual(['template']);
    const template = (
      sent[0]!.body as { template: { name: string; language: { code: string }; components: unknown } }
    ).template;
    expect(template.name).toBe('spreekuur_herinnering');
    expect(template.language).toEqual({ code: 'nl' });
    expect(template.components).toEqual([
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'vrijdag 4 december' },
          { type: 'text', text: '09:00' },
        ],
      },
    ]);
    const held = await heldTexts(c);
    expect(held).toHaveLength(1);
    // The resident writes back: first the reminder itself, then the answer to what they wrote.
    const after = await say(c, 'ok');
    expect(texts(after)[0]).toBe(held[0]);
    expect(after.length).toBeGreaterThan(1);
    expect(await heldTexts(c)).toEqual([]);
    const [outbox] = await c.t.app.db.run((m) =>
      m.query<{ delivery_state: string }[]>(
        `SELECT delivery_state FROM outbox WHERE body LIKE ? ORDER BY id LIMIT 1`,
        [`%${held[0]!.slice(0, 20)}%`],
      ),
    );
    expect(outbox?.delivery_state).toBe('template');
  });

  it('an answer refused with 131047 goes again as the answer template; the answer follows the reply', async () => {
    const c = await start();
    const code = await c.t.driver.staffCode!('fatma-yilmaz');
    await c.t.driver.send('a1', `koppel ${code}`);
    await say(c, 'hallo');
    await say(c, 'vraag');
    const offered = await say(c, 'De stoeptegels voor mijn huis liggen los.');
    const press = async (sent: GraphSent[], label: RegExp) => {
      const choice = sent
        .flatMap((s) => readGraphMessage(s).choices ?? [])
        .find((ch) => label.test(ch.label))!;
      const mark = c.api.sent.length;
      await c.post(c.hooks.buttonReply(RESIDENT, choice.id, choice.label.slice(0, 20)));
      await settled(c);
      return c.api.sent.slice(mark);
    };
    await press(offered, /^Klaar$/);
    const topics = await press(await say(c, '2288 GD'), /^Ja/);
    const green = readGraphMessage(topics.find((s) => s.type === 'interactive')!).choices!.find((ch) =>
      ch.label.startsWith('Groen'),
    )!;
    await c.post(c.hooks.listReply(RESIDENT, green.id, green.label.slice(0, 24)));
    await settled(c);
    const created = await press(c.api.sentTo(RESIDENT).slice(-2), /^Ja, versturen/);
    const reference = /RSW-\d{4}-\d{6}/.exec(texts(created).join('\n'))![0];
    // WhatsApp says the window is closed (the resident's phone clock, a missed message): 131047.
    c.api.fail({ status: 400, code: 131047, to: RESIDENT, types: ['text', 'interactive'] });
    const mark = c.api.sent.length;
    await c.t.driver.send('a1', `antwoord ${reference} De tegels worden deze week vastgezet.`);
    await settled(c);
    const sent = c.api.sent.slice(mark);
    expect(sent.map((s) => s.type)).toEqual(['template']);
    const template = (sent[0]!.body as { template: { name: string; components: unknown } }).template;
    expect(template.name).toBe('spreekuur_antwoord_klaar');
    expect(template.components).toEqual([{ type: 'body', parameters: [{ type: 'text', text: reference }] }]);
    expect(c.api.attempts.filter((a) => a.code === 131047)).toHaveLength(1);
    const after = await say(c, 'hoi');
    expect(texts(after)[0]).toMatch(/De tegels worden deze week vastgezet/);
  });
});

describe('WhatsApp Cloud API: 131047 as a later status', () => {
  it('a message that fails later with 131047 goes as a template; what follows waits with it, in order', async () => {
    const c = await start();
    await say(c, 'hallo');
    const menu = (await say(c, 'menu')).at(-1)!;
    const mark = c.api.sent.length;
    expect((await c.post(c.hooks.status(menu.id, RESIDENT, 'failed', 131047))).status).toBe(200);
    await expect.poll(() => c.api.sent.length).toBe(mark + 1);
    const template = c.api.sent[mark]!;
    expect(template.type).toBe('template');
    // The menu answered a message, not a notice: the default template.
    expect((template.body as { template: { name: string } }).template.name).toBe('spreekuur_nieuw_bericht');
    expect(await heldTexts(c)).toEqual([readGraphMessage(menu).text]);
    // Until the resident writes, later messages wait too, without a second template.
    await c.adapter.send({ to: { channel: 'whatsapp', userId: `${RESIDENT}@c.us` }, text: 'Nog iets' });
    expect(c.api.sent).toHaveLength(mark + 1);
    expect(await heldTexts(c)).toEqual([readGraphMessage(menu).text, 'Nog iets']);
    const after = texts(await say(c, 'hoi'));
    expect(after.slice(0, 2)).toEqual([readGraphMessage(menu).text, 'Nog iets']);
    expect(await heldTexts(c)).toEqual([]);
  });
});

describe('WhatsApp Cloud API: limits and errors', () => {
  it('retries 131056, 130429 and 5xx in order per resident: nothing lost, nothing twice', async () => {
    const c = await start();
    const residents = ['31612340011', '31612340012'];
    for (const r of residents) await say(c, 'hallo', r);
    c.api.fail({ status: 400, code: 131056, to: residents[0], times: 3 });
    c.api.fail({ status: 400, code: 130429, times: 2 });
    c.api.fail({ status: 503, code: 131016, to: residents[1], times: 2 });
    c.api.fail({ status: 500, code: 1, times: 1 });
    const words = ['help', 'menu', 'help', 'menu', 'help'];
    await Promise.all(
      residents.map(async (r) => {
        for (const w of words) expect((await c.post(c.hooks.text(r, w))).status).toBe(200);
      }),
    );
    await settled(c);
    expect(c.api.faults.every((f) => f.times === 0)).toBe(true);
    expect(
      c.api.attempts
        .filter((a) => a.status !== 200)
        .map((a) => a.code)
        .sort(),
    ).toEqual([1, 130429, 130429, 131016, 131016, 131056, 131056, 131056].sort());
    for (const r of residents) {
      const outbox = await c.t.app.db.run((m) =>
        m.query<{ body: string; status: string }[]>(
          `SELECT body, status FROM outbox WHERE channel = 'whatsapp' AND user_id = ? ORDER BY id`,
          [`${r}@c.us`],
        ),
      );
      expect(outbox.map((o) => o.status)).toEqual(outbox.map(() => 'sent'));
      const expected = outbox.map((o) => (JSON.parse(o.body) as { text: string }).text);
      expect(c.api.sentTo(r).map((s) => readGraphMessage(s).text)).toEqual(expected);
    }
  });

  it('records sent, delivered, read and failed statuses on the outbox item', async () => {
    const c = await start();
    const [first] = await say(c, 'hallo');
    const state = async () => {
      const rows = await c.t.app.db.run((m) =>
        m.query<{ delivery_state: string | null }[]>(
          `SELECT delivery_state FROM outbox WHERE channel = 'whatsapp' ORDER BY id LIMIT 1`,
        ),
      );
      return rows[0]?.delivery_state;
    };
    for (const status of ['sent', 'delivered', 'read']) {
      expect((await c.post(c.hooks.status(first!.id, RESIDENT, status))).status).toBe(200);
      await expect.poll(state).toBe(status);
    }
    await c.post(c.hooks.status(first!.id, RESIDENT, 'failed', 131026));
    await expect.poll(state).toBe('failed');
  });

  it('sets a message to a number WhatsApp refuses for good aside as undeliverable', async () => {
    const c = await start();
    await say(c, 'hallo');
    c.api.fail({ status: 400, code: 131026, to: RESIDENT, times: 1 });
    await say(c, 'menu');
    const failed = await count(c, 'outbox', `status = 'failed' AND channel = 'whatsapp'`);
    expect(failed).toBe(1);
  });

  it('ignores messages from groups, from its own number and for another phone number id', async () => {
    const c = await start();
    const group = c.hooks.text(RESIDENT, 'hallo') as {
      entry: { changes: { value: { messages: Record<string, unknown>[] } }[] }[];
    };
    group.entry[0]!.changes[0]!.value.messages[0]!.group_id = '120363000000000000';
    const own = c.hooks.text('15550001234', 'hallo');
    const other = c.hooks.text(RESIDENT, 'hallo') as {
      entry: { changes: { value: { metadata: { phone_number_id: string } } }[] }[];
    };
    other.entry[0]!.changes[0]!.value.metadata.phone_number_id = '999999999';
    for (const body of [group, own, other]) expect((await c.post(body)).status).toBe(200);
    await settled(c);
    expect(await count(c, 'inbound')).toBe(0);
  });

  it('gives media, locations, contacts, reactions and stickers the kind answer, and keeps the profile name', async () => {
    const c = await start();
    await say(c, 'hallo');
    for (const [type, content] of [
      ['image', { id: 'media1', mime_type: 'image/jpeg' }],
      ['location', { latitude: 52.04, longitude: 4.31 }],
      ['contacts', [{ name: { formatted_name: 'Piet' } }]],
      ['reaction', { message_id: 'wamid.x', emoji: '👍' }],
      ['sticker', { id: 'st1', mime_type: 'image/webp' }],
    ] as const) {
      const mark = c.api.sent.length;
      await c.post(c.hooks.message(RESIDENT, type, content));
      await settled(c);
      expect(texts(c.api.sent.slice(mark)).join('\n'), type).toMatch(/\S/);
    }
    const rows = await c.t.app.db.run((m) =>
      m.query<{ first_name: string | null; has_media: number }[]>(
        `SELECT first_name, has_media FROM inbound ORDER BY id`,
      ),
    );
    expect(rows[0]?.first_name).toBe('Anna');
    expect(rows.slice(1).every((r) => Number(r.has_media) === 1)).toBe(true);
  });
});
