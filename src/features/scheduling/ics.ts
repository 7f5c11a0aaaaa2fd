import { DateTime } from 'luxon';
import type { Language, Translate } from '../../i18n/translator.js';
import type { Booking } from '../../ports/booking-repository.js';
import { placeText } from './views.js';

export interface IcsOptions {
  municipalityName: string;
  aldermanName: string;
  /** The municipality's zone, for the local date and time in the description. */
  timeZone: string;
  /** The resident's language and a translator for it (texts: data/i18n/<lang>/scheduling.json). */
  language: Language;
  t: Translate;
}

/**
 * The booking as an iCalendar (RFC 5545) file: one event in UTC, CRLF line ends, escaped text,
 * long lines folded. A cancelled or moved booking renders as a cancelled event, so a calendar that
 * re-reads the link drops it. It carries no free text of the resident (the topic stays out): a
 * calendar file is forwarded and synced to places the municipality does not control.
 */
export function renderIcs(booking: Booking, options: IcsOptions): string {
  const { t } = options;
  const local = DateTime.fromJSDate(booking.slotStart, { zone: options.timeZone }).setLocale(
    options.language === 'nl' ? 'nl-NL' : 'en-GB',
  );
  const vars = {
    alderman: options.aldermanName,
    municipality: options.municipalityName,
    date: local.toFormat('cccc d LLLL yyyy'),
    time: local.toFormat('HH:mm'),
    kind: t(`scheduling.kind.${booking.kind}`),
    place: placeText(t, booking.kind, booking.place, 'calendar'),
    reference: booking.reference,
  };
  const active = booking.status === 'active';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Spreekuur//Spreekuur//NL',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${booking.id}@spreekuur`,
    `DTSTAMP:${utc(booking.updatedAt)}`,
    `DTSTART:${utc(booking.slotStart)}`,
    `DTEND:${utc(booking.slotEnd)}`,
    `SUMMARY:${escapeText(t('scheduling.ics.summary', vars))}`,
    `LOCATION:${escapeText(vars.place)}`,
    `DESCRIPTION:${escapeText(t('scheduling.ics.description', vars))}`,
    `STATUS:${active ? 'CONFIRMED' : 'CANCELLED'}`,
    // A higher sequence tells calendar apps that the cancellation replaces the first version.
    `SEQUENCE:${active ? 0 : 1}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** Escapes a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545, 3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** An instant as a UTC DATE-TIME: 20260303T180000Z. */
function utc(instant: Date): string {
  return instant
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Folds a content line into pieces of at most 75 octets, never splitting a character (RFC 5545, 3.1). */
function fold(line: string): string {
  const pieces: string[] = [];
  let piece = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // Continuation lines start with a space, which counts towards their 75 octets.
    const limit = pieces.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      pieces.push(piece);
      piece = '';
      octets = 0;
    }
    piece += char;
    octets += size;
  }
  pieces.push(piece);
  return pieces.join('\r\n ');
}
