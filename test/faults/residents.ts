/**
 * A steady stream of residents on the fake Telegram, the way people write: most ask a question, every
 * fourth books a consultation slot (a chat session with Fatma Yilmaz or a phone call with Mohamed El
 * Amrani, in turn), so the run has booking timers as well as case timers.
 */
import type { FakeTelegramApi } from '../support/fake-telegram-api.js';
import { sleep } from './private-services.js';

/** Asks a question that becomes a case (routed by a job, with answer-by timers). */
export const SCRIPT = [
  'hallo',
  'vraag',
  'De stoeptegels voor mijn huis liggen los.',
  'Klaar',
  '2288 GD',
  'Ja',
  'Groen en openbare ruimte',
  'Ja, versturen',
];

/** Books the slot at `{slot}` (1 to 5) of the first free times; the postcode picks the alderman. */
export const BOOKING_SCRIPT = [
  'hallo',
  'afspraak',
  '{postcode}',
  'Nee',
  '1',
  '{slot}',
  'De speeltuin in onze straat',
  'Ja, afspraak maken',
];

/** Postcodes of the bookers, in turn: Fatma Yilmaz (chat sessions), Mohamed El Amrani (phone). */
const BOOKING_POSTCODES = ['2288 GD', '2283 AB'];

/** What the service says when another resident took the slot a moment earlier (new times follow). */
const TAKEN = /net door iemand anders gekozen/;

export interface LoadResult {
  residents: number[];
  /** The residents who asked a question (each should have one case). */
  askers: number[];
  /** The residents who booked a slot (each should have one booking). */
  bookers: number[];
  /** Messages pushed to the fake, per resident. */
  pushed: Map<number, number>;
  /** Steps after which no reply came within the wait (the resident went on anyway). */
  unanswered: number;
  /** Which resident and step, for the first few of them. */
  waitedOut: string[];
}

/**
 * Starts `perSecond` residents a second for `seconds`; each walks SCRIPT, sending the next message
 * once a reply to the previous one came (or after `patienceMs`). Resolves when all are done.
 */
export async function runLoad(
  api: FakeTelegramApi,
  options: { firstChatId: number; perSecond: number; seconds: number; patienceMs: number },
): Promise<LoadResult> {
  const result: LoadResult = {
    residents: [],
    askers: [],
    bookers: [],
    pushed: new Map(),
    unanswered: 0,
    waitedOut: [],
  };
  const walks: Promise<void>[] = [];
  const total = Math.round(options.perSecond * options.seconds);
  for (let i = 0; i < total; i++) {
    const chatId = options.firstChatId + i;
    result.residents.push(chatId);
    if (i % 4 === 1) {
      const n = result.bookers.push(chatId) - 1;
      // Bookers of one alderman pick different places in the list, so few choose the same slot.
      const script = BOOKING_SCRIPT.map((text) =>
        text
          .replace('{postcode}', BOOKING_POSTCODES[n % 2]!)
          .replace('{slot}', String((Math.floor(n / 2) % 5) + 1)),
      );
      walks.push(walk(api, chatId, script, result, options.patienceMs));
    } else {
      result.askers.push(chatId);
      walks.push(walk(api, chatId, SCRIPT, result, options.patienceMs));
    }
    await sleep(1000 / options.perSecond);
  }
  await Promise.all(walks);
  return result;
}

async function walk(
  api: FakeTelegramApi,
  chatId: number,
  script: string[],
  result: LoadResult,
  patienceMs: number,
): Promise<void> {
  const say = async (text: string): Promise<string> => {
    const before = api.sentTo(chatId).length;
    api.push(api.textUpdate(chatId, text));
    result.pushed.set(chatId, (result.pushed.get(chatId) ?? 0) + 1);
    const started = Date.now();
    while (api.sentTo(chatId).length === before && Date.now() - started < patienceMs) await sleep(50);
    if (api.sentTo(chatId).length === before) {
      result.unanswered++;
      if (result.waitedOut.length < 5) result.waitedOut.push(`${chatId} at ${JSON.stringify(text)}`);
    }
    // A person reads before typing on.
    await sleep(150 + Math.random() * 250);
    return api
      .sentTo(chatId)
      .slice(before)
      .map((m) => m.text)
      .join('\n');
  };
  for (const text of script) {
    let reply = await say(text);
    // Someone else took the slot between the list and the confirmation: the next time offered, then
    // confirm again (at most three times).
    for (let tries = 0; TAKEN.test(reply) && tries < 3; tries++) {
      await say('1');
      reply = await say(text);
    }
  }
}
