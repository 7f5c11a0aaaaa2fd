import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translator.js';
import { jsonlChatForTest, spreekuur, textsOf as text, type JsonlChat } from '../support/processes.js';
import { sqliteUrl } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';

const nl = translator(shippedTexts, 'nl');
/** Subscribes through the console: "blijf op de hoogte", the postcode, every topic, yes. */
async function subscribe(chat: JsonlChat, from: string, postcode: string): Promise<string> {
  await chat.send(from, 'hallo');
  await chat.send(from, 'blijf op de hoogte');
  await chat.send(from, postcode);
  await chat.send(from, 'nee');
  await chat.send(from, '1');
  return text(await chat.send(from, 'ja'));
}

describe('district updates through `chat --jsonl` and `spreekuur updates send`', { timeout: 600_000 }, () => {
  it('a subscriber gets a "raadplegen" update with the level explained; another district does not; "updates uit" stops it', async () => {
    const env = { DATABASE_URL: sqliteUrl(), RATE_LIMIT_PER_MINUTE: '1000' };
    const chat = jsonlChatForTest(env);
    expect(await subscribe(chat, 'anna', '2282 AB')).toMatch(/Muziekbuurt/);
    expect(await subscribe(chat, 'bram', '2280 AA')).toMatch(/Oud Rijswijk/);

    const sent = spreekuur(
      [
        'updates',
        'send',
        '--district',
        'muziekbuurt',
        '--level',
        'raadplegen',
        '--title',
        'Nieuw plein bij de Cluis',
        '--text',
        'Wij maken het plein groener.',
        '--link',
        'https://www.rijswijk.nl/plein',
        '--influence',
        'Welke bomen er komen.',
        '--until',
        '2027-01-15',
      ],
      env,
    );
    expect(sent.stderr).toBe('');
    expect(sent.status).toBe(0);
    expect(sent.stdout).toMatch(/queued for 1 subscriber/);

    const seen: Record<string, unknown>[] = [];
    const update = await chat.waitFor((l) => {
      seen.push(l);
      return l.to === 'anna' && String(l.text).includes('Nieuw plein bij de Cluis');
    });
    expect(String(update.text)).toContain(nl('participation.level.raadplegen'));
    expect(String(update.text)).toContain('https://www.rijswijk.nl/plein');
    expect(String(update.text)).toContain('Welke bomen er komen.');
    expect(seen.filter((l) => l.to === 'bram')).toEqual([]);
    // Bram's next message brings nothing of it either.
    expect(text(await chat.send('bram', 'menu'))).not.toContain('Nieuw plein');

    expect(text(await chat.send('anna', 'updates uit'))).toContain(nl('participation.unsubscribed'));
    const again = spreekuur(
      [
        'updates',
        'send',
        '--district',
        'muziekbuurt',
        '--level',
        'informeren',
        '--title',
        'Tweede',
        '--text',
        'Nog iets.',
      ],
      env,
    );
    expect(again.stdout).toMatch(/queued for 0 subscriber/);
    expect(text(await chat.send('anna', 'menu'))).not.toContain('Tweede');

    const listed = spreekuur(['updates', 'list', '--json'], env);
    const updates = JSON.parse(listed.stdout) as {
      title: string;
      counts: { recipients: number; byStatus: { sent: number } };
    }[];
    expect(updates.map((u) => [u.title, u.counts.recipients, u.counts.byStatus.sent])).toEqual([
      ['Tweede', 0, 0],
      ['Nieuw plein bij de Cluis', 1, 1],
    ]);
  });

  it('refuses an unknown level or district with a line saying what is allowed, and exit 2', () => {
    const env = { DATABASE_URL: sqliteUrl() };
    const level = spreekuur(
      ['updates', 'send', '--district', 'muziekbuurt', '--level', 'inspraak', '--title', 'x', '--text', 'y'],
      env,
    );
    expect(level.status).toBe(2);
    expect(level.stderr).toMatch(
      /--level must be one of: informeren, raadplegen, adviseren, coproduceren, meebeslissen/,
    );
    const district = spreekuur(
      ['updates', 'send', '--district', 'atlantis', '--level', 'informeren', '--title', 'x', '--text', 'y'],
      env,
    );
    expect(district.status).toBe(2);
    expect(district.stderr).toMatch(/--district must be one or more of: oud-rijswijk/);
  });
});
