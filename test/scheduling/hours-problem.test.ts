import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hoursProblem } from '../../src/http/dashboard/hours-problem.js';
import { dayOf } from '../../src/http/dashboard/hours-routes.js';
import { translator } from '../../src/i18n/translator.js';
import { parseHours } from '../../src/municipality/hours-schema.js';
import { shippedTexts } from '../support/texts.js';
import { ALDERMEN } from './fixtures.js';

const example = (): Record<string, unknown> & { sessions: Record<string, unknown>[] } =>
  JSON.parse(readFileSync('data/hours.json', 'utf8')) as never;

describe('a refused change on the hours page, in words for staff', () => {
  const nl = translator(shippedTexts, 'nl');
  const day = dayOf('nl', 'Europe/Amsterdam');
  /** What the hours page says for hours that the check refuses (it checks them as file "hours"). */
  function onPage(edit: (json: ReturnType<typeof example>) => void): string {
    const json = example();
    edit(json);
    try {
      parseHours(json, ALDERMEN, 'hours');
    } catch (error) {
      return hoursProblem((error as Error).message.replace(/^Data error: /, ''), nl, day);
    }
    throw new Error('parseHours accepted the hours');
  }

  it('regression: the page showed the check in English with its path (hours: sessions[0].end: expected …)', () => {
    const extra = (json: ReturnType<typeof example>) =>
      (json as unknown as { exceptions: { extra: Record<string, unknown>[]; cancelled: { date: string }[] } })
        .exceptions;
    const said = [
      onPage((j) => (j.sessions[0]!.end = '18:00')),
      onPage((j) => (j.sessions[0]!.slotMinutes = 25)),
      onPage((j) => (j.sessions[2]!.start = '7pm')),
      onPage((j) => (j.sessions[1]!.id = 'Fatma Vrijdag')),
      onPage((j) => (j.sessions[1]!.slotMinutes = 2)),
      onPage((j) => (extra(j).extra[0]!.place = '')),
      onPage((j) => (extra(j).extra[0]!.date = '')),
      onPage((j) => (extra(j).cancelled[0]!.date = '2026-08-11')),
      onPage((j) => (j.sessions[1]!.id = j.sessions[0]!.id)),
    ];
    expect(said).toEqual([
      'Eindigt om: kies een tijd na de begintijd.',
      'Minuten per afspraak: het spreekuur duurt 60 minuten. Dat is niet te verdelen in afspraken van deze lengte.',
      'Begint om: vul een tijd in, zoals 19:00.',
      'Naam: gebruik alleen kleine letters, cijfers en -.',
      'Minuten per afspraak: kies 5 tot 240 minuten.',
      'Plaats: vul een plaats in, zoals WhatsApp of een adres.',
      'Datum: vul een datum in.',
      // Regression: the date was shown as the file has it (2026-08-11).
      'Datum: spreekuur anna-chat-first-tuesday is niet op dinsdag 11 augustus 2026.',
      'Naam: de naam anna-chat-first-tuesday is al van een ander spreekuur. Kies een andere naam.',
    ]);
  });

  it('keeps a problem it has no words for as the check wrote it', () => {
    expect(hoursProblem('hours: sessions[1]: Unrecognized key: "slotMinute"', nl, day)).toBe(
      'hours: sessions[1]: Unrecognized key: "slotMinute"',
    );
  });
});
