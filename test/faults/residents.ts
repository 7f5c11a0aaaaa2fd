/** A steady stream of residents on the fake Telegram, each asking a question the way a person does. */
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

export interface LoadResult {
  residents: number[];
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
  const result: LoadResult = { residents: [], pushed: new Map(), unanswered: 0, waitedOut: [] };
  const walks: Promise<void>[] = [];
  const total = Math.round(options.perSecond * options.seconds);
  for (let i = 0; i < total; i++) {
    const chatId = options.firstChatId + i;
    result.residents.push(chatId);
    walks.push(walk(api, chatId, result, options.patienceMs));
    await sleep(1000 / options.perSecond);
  }
  await Promise.all(walks);
  return result;
}

async function walk(
  api: FakeTelegramApi,
  chatId: number,
  result: LoadResult,
  patienceMs: number,
): Promise<void> {
  for (const text of SCRIPT) {
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
  }
}
