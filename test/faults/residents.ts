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

/** The service made the booking (book.done). */
const BOOKED = /Uw afspraak staat\./;
/**
 * The service could not make the booking at that time and asks for another (book.taken: another
 * resident took it a moment earlier; book.too_soon; book.not_a_slot). New times follow.
 */
const OTHER_TIME = /net door iemand anders gekozen|Die tijd is te dichtbij|Die tijd kan niet meer/;

export interface LoadResult {
  residents: number[];
  /** The residents who asked a question (each should have one case). */
  askers: number[];
  /** The residents who booked a slot (each should have one booking). */
  bookers: number[];
  /** What each booker's walk ended with: booked, or why not (read when a booking is missing). */
  bookingOutcomes: Map<number, string>;
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
    bookingOutcomes: new Map(),
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
      walks.push(
        walk(api, chatId, script.slice(0, -1), result, options.patienceMs).then(() =>
          confirmBooking(api, chatId, script.at(-1)!, result, options.patienceMs),
        ),
      );
    } else {
      result.askers.push(chatId);
      walks.push(walk(api, chatId, SCRIPT, result, options.patienceMs));
    }
    await sleep(1000 / options.perSecond);
  }
  await Promise.all(walks);
  return result;
}

/** Sends one message and waits for the first reply to it (or `patienceMs`), then reads a moment. */
async function say(
  api: FakeTelegramApi,
  chatId: number,
  text: string,
  result: LoadResult,
  patienceMs: number,
): Promise<void> {
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

async function walk(
  api: FakeTelegramApi,
  chatId: number,
  script: string[],
  result: LoadResult,
  patienceMs: number,
): Promise<void> {
  for (const text of script) await say(api, chatId, text, result, patienceMs);
}

/**
 * Confirms the booking and waits for its outcome, read from every message that came after the
 * confirmation (a reply may come in parts, and while the fake refuses sends a part of an earlier
 * reply may come late; so "the first message after" is not the answer to the confirmation). When the
 * time could not be booked (taken a moment earlier by another resident), the first new time is
 * picked and confirmed again, at most three times.
 */
async function confirmBooking(
  api: FakeTelegramApi,
  chatId: number,
  confirmation: string,
  result: LoadResult,
  patienceMs: number,
): Promise<void> {
  for (let attempt = 1; attempt <= 4; attempt++) {
    const from = api.sentTo(chatId).length;
    await say(api, chatId, confirmation, result, patienceMs);
    const started = Date.now();
    let outcome: 'booked' | 'other time' | undefined;
    while (!outcome && Date.now() - started < patienceMs) {
      const texts = api
        .sentTo(chatId)
        .slice(from)
        .map((m) => m.text);
      if (texts.some((t) => BOOKED.test(t))) outcome = 'booked';
      else if (texts.some((t) => OTHER_TIME.test(t))) outcome = 'other time';
      else await sleep(50);
    }
    if (outcome === 'booked') {
      result.bookingOutcomes.set(chatId, attempt === 1 ? 'booked' : `booked at try ${attempt}`);
      return;
    }
    if (!outcome) {
      result.bookingOutcomes.set(chatId, `no outcome ${patienceMs} ms after try ${attempt}`);
      return;
    }
    result.bookingOutcomes.set(chatId, `asked for another time ${attempt} times`);
    if (attempt < 4) await say(api, chatId, '1', result, patienceMs);
  }
}
