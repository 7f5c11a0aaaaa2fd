import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translator.js';
import { jsonlChatForTest, spreekuur, textsOf as text, type JsonlChat } from '../support/processes.js';
import { sqliteUrl } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';

const nl = translator(shippedTexts, 'nl');
/** Subscribes through the console to every topic of the district of `postcode`, remembering it. */
async function subscribe(chat: JsonlChat, from: string, postcode: string): Promise<void> {
  await chat.send(from, 'hallo');
  await chat.send(from, 'blijf op de hoogte');
  await chat.send(from, postcode);
  await chat.send(from, 'ja');
  await chat.send(from, '1');
  await chat.send(from, 'ja');
}

describe(
  'a poll invites the subscribers of its districts (participation broadcast)',
  { timeout: 600_000 },
  () => {
    it('`polls create` reaches the subscriber in the running chat, not one of another district; "peiling" answers it', async () => {
      const env = { DATABASE_URL: sqliteUrl(), RATE_LIMIT_PER_MINUTE: '1000' };
      const chat = jsonlChatForTest(env);
      await subscribe(chat, 'anna', '2282 AB');
      await subscribe(chat, 'bram', '2280 AA');

      const created = spreekuur(
        [
          'polls',
          'create',
          '--question',
          'Meer bomen op het plein?',
          '--option',
          'Ja',
          '--option',
          'Nee',
          '--district',
          'muziekbuurt',
        ],
        env,
      );
      expect(created.stderr).toBe('');
      const seen: Record<string, unknown>[] = [];
      const invite = await chat.waitFor((l) => {
        seen.push(l);
        return l.to === 'anna' && String(l.text).includes('Meer bomen op het plein?');
      });
      expect(String(invite.text)).toContain(nl('poll.invite', { question: 'Meer bomen op het plein?' }));
      expect(String(invite.text)).toContain(nl('poll.invite_how'));
      expect(seen.filter((l) => l.to === 'bram')).toEqual([]);

      const asked = await chat.send('anna', 'peiling');
      expect(asked.at(-1)?.choices).toEqual([
        { id: 'opt:0', label: 'Ja' },
        { id: 'opt:1', label: 'Nee' },
      ]);
      expect(text(await chat.send('anna', 'ja'))).toContain(nl('poll.thanks', { choice: 'Ja' }));
      // Bram's district has no poll.
      expect(text(await chat.send('bram', 'peiling'))).toContain(
        nl('poll.none', { district: 'Oud Rijswijk' }),
      );
    });
  },
);
