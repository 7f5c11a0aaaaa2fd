import { translator } from '../../i18n/translator.js';
import type { FeatureDeps } from '../../ports/feature.js';
import { findByIcsToken } from './booking-records.js';
import { renderIcs } from './ics.js';

/** How long after its slot a calendar link keeps working: a link in an old chat leads nowhere. */
export const CALENDAR_LINK_DAYS = 30;

/**
 * The calendar file of the booking with this token, in the language the resident chats in; none
 * once the slot ended more than CALENDAR_LINK_DAYS ago.
 */
export function calendarFile(deps: FeatureDeps): (token: string) => Promise<string | undefined> {
  return async (token) => {
    const booking = await deps.uow.run((r) => findByIcsToken(r, token));
    if (!booking) return undefined;
    const expires = booking.slotEnd.getTime() + CALENDAR_LINK_DAYS * 24 * 60 * 60 * 1000;
    if (deps.clock.now().getTime() > expires) return undefined;
    const m = deps.municipality;
    const alderman = m.aldermen.find((a) => a.id === booking.aldermanId);
    const language =
      (await deps.uow.run((r) => r.conversations.languageOf(booking.residentKey))) ?? m.defaultLanguage;
    return renderIcs(booking, {
      municipalityName: m.name,
      aldermanName: alderman?.name ?? booking.aldermanId,
      timeZone: m.timeZone,
      language,
      t: translator(deps.texts, language),
    });
  };
}
