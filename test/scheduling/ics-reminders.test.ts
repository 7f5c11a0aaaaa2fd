import { describe, expect, it } from 'vitest';
import { loadTexts, translator } from '../../src/i18n/translator.js';
import type { Booking } from '../../src/ports/booking-repository.js';
import { escapeText, renderIcs } from '../../src/features/scheduling/ics.js';
import { reminderIsCurrent, reminderPlan } from '../../src/features/scheduling/reminders.js';
import { ZONE } from './fixtures.js';

const texts = loadTexts('data/i18n');

function booking(overrides: Partial<Booking> = {}): Booking {
  return {
    id: '6f1c2d9e-3b7a-4c55-9d0e-1a2b3c4d5e6f',
    reference: 'AFS-K7M2QX',
    aldermanId: 'anna-de-vries',
    slotStart: new Date('2026-03-03T18:00:00Z'),
    slotEnd: new Date('2026-03-03T18:10:00Z'),
    residentKey: 'whatsapp:31612345678',
    residentFirstName: 'Sam',
    topic: 'Bomen, stoep; en "de\\weg"\nnaar school',
    kind: 'town-hall',
    place: 'Raadhuis, Bogaardplein 15',
    status: 'active',
    icsToken: 'x'.repeat(32),
    transcript: [],
    rating: null,
    createdAt: new Date('2026-03-01T10:00:00Z'),
    updatedAt: new Date('2026-03-01T10:00:00Z'),
    ...overrides,
  };
}

const options = (language: 'nl' | 'en' = 'nl') => ({
  municipalityName: 'Rijswijk',
  aldermanName: 'Anna de Vries',
  timeZone: ZONE,
  language,
  t: translator(texts, language),
});

/** Undoes folding and splits into [name, value] pairs, as a calendar app reads the file. */
function parse(ics: string): Map<string, string> {
  const unfolded = ics.replace(/\r\n /g, '');
  return new Map(
    unfolded
      .split('\r\n')
      .filter(Boolean)
      .map(
        (line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)] as [string, string],
      ),
  );
}

describe('renderIcs', () => {
  it('writes one event in UTC with CRLF line ends and lines of at most 75 octets', () => {
    const ics = renderIcs(booking(), options());
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const fields = parse(ics);
    expect(fields.get('UID')).toBe('6f1c2d9e-3b7a-4c55-9d0e-1a2b3c4d5e6f@spreekuur');
    expect(fields.get('DTSTAMP')).toBe('20260301T100000Z');
    expect(fields.get('DTSTART')).toBe('20260303T180000Z');
    expect(fields.get('DTEND')).toBe('20260303T181000Z');
    expect(fields.get('SUMMARY')).toBe('Spreekuur met Anna de Vries\\, gemeente Rijswijk');
    expect(fields.get('LOCATION')).toBe('Raadhuis\\, Bogaardplein 15');
    expect(fields.get('STATUS')).toBe('CONFIRMED');
  });

  it('names no app as the place of a chat session: the resident chats on the channel they booked from', () => {
    const nl = parse(renderIcs(booking({ kind: 'chat', place: 'WhatsApp' }), options('nl')));
    expect(nl.get('LOCATION')).toBe('online\\, in de chat met de gemeente');
    expect(nl.get('DESCRIPTION')).not.toContain('WhatsApp');
    const en = parse(renderIcs(booking({ kind: 'chat', place: 'WhatsApp' }), options('en')));
    expect(en.get('LOCATION')).toBe('online\\, in the chat with the municipality');
  });

  it('carries no free text of the resident: the topic stays out', () => {
    for (const language of ['nl', 'en'] as const) {
      const ics = renderIcs(booking({ topic: 'Topicmarker42 over mijn buren' }), options(language));
      expect(ics.replace(/\r\n /g, '')).not.toContain('Topicmarker42');
      expect(ics).not.toMatch(/onderwerp|topic/i);
    }
  });

  it('escapes commas, semicolons, backslashes and newlines in text', () => {
    const ics = renderIcs(booking({ place: 'Zaal 1, "de\\weg";\nnaar school' }), options());
    expect(parse(ics).get('LOCATION')).toBe('Zaal 1\\, "de\\\\weg"\\;\\nnaar school');
    const description = parse(ics).get('DESCRIPTION')!;
    expect(description).toContain('dinsdag 3 maart 2026 om 19:00 uur');
    expect(description).not.toMatch(/(^|[^\\])[,;]/);
    expect(escapeText('a\\b;c,d\r\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });

  it('folds long lines without splitting a multi-byte character', () => {
    const ics = renderIcs(booking({ place: 'é'.repeat(200) }), options('en'));
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).not.toContain('\uFFFD');
    expect(parse(ics).get('LOCATION')).toBe('é'.repeat(200));
    expect(parse(ics).get('DESCRIPTION')).toContain(`Where: ${'é'.repeat(200)}`);
    expect(parse(ics).get('DESCRIPTION')).toContain('Tuesday 3 March 2026 at 19:00');
  });

  it('renders a cancelled or moved booking as a cancelled event', () => {
    expect(parse(renderIcs(booking({ status: 'cancelled' }), options())).get('STATUS')).toBe('CANCELLED');
    expect(parse(renderIcs(booking({ status: 'moved' }), options())).get('SEQUENCE')).toBe('1');
  });
});

describe('reminderPlan', () => {
  const b = booking();

  it('plans a reminder a day and an hour before the slot', () => {
    const plan = reminderPlan(b, new Date('2026-03-01T12:00:00Z'));
    expect(plan.map((r) => [r.kind, r.runAt.toISOString()])).toEqual([
      ['day-before', '2026-03-02T18:00:00.000Z'],
      ['hour-before', '2026-03-03T17:00:00.000Z'],
    ]);
    for (const r of plan) {
      expect(r.jobId).not.toContain(':');
      expect(r.jobId).toContain(b.id);
    }
    expect(new Set(plan.map((r) => r.jobId)).size).toBe(2);
  });

  it('leaves out reminders whose time has passed, and plans none for an inactive booking', () => {
    expect(reminderPlan(b, new Date('2026-03-03T12:00:00Z')).map((r) => r.kind)).toEqual(['hour-before']);
    expect(reminderPlan(b, new Date('2026-03-03T17:30:00Z'))).toEqual([]);
    expect(reminderPlan(booking({ status: 'cancelled' }), new Date('2026-03-01T12:00:00Z'))).toEqual([]);
  });

  it('gives a moved booking new job ids, and an old reminder knows it is stale', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const [oldReminder] = reminderPlan(b, now);
    const moved = booking({
      id: '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70',
      slotStart: new Date('2026-03-10T18:00:00Z'),
    });
    const newIds = reminderPlan(moved, now).map((r) => r.jobId);
    expect(newIds).not.toContain(oldReminder!.jobId);
    // Even a booking that kept its id but changed its start gets new ids.
    const sameIdNewStart = booking({ slotStart: new Date('2026-03-10T18:00:00Z') });
    expect(reminderPlan(sameIdNewStart, now).map((r) => r.jobId)).not.toContain(oldReminder!.jobId);

    expect(reminderIsCurrent(oldReminder!, b, now)).toBe(true);
    expect(reminderIsCurrent(oldReminder!, { ...b, status: 'moved' }, now)).toBe(false);
    expect(reminderIsCurrent(oldReminder!, sameIdNewStart, now)).toBe(false);
    expect(reminderIsCurrent(oldReminder!, undefined, now)).toBe(false);
    // Job data round-trips through JSON, so the slot start may come back as a string.
    expect(reminderIsCurrent({ bookingId: b.id, slotStart: b.slotStart.toISOString() }, b, now)).toBe(true);
  });
});
