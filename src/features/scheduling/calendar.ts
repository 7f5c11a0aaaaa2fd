import { translator } from '../../i18n/translator.js';
import type { FeatureDeps } from '../../ports/feature.js';
import { findByIcsToken } from './booking-records.js';
import { renderIcs } from './ics.js';

/** The calendar file of the booking with this token, in the language the resident chats in. */
export function calendarFile(deps: FeatureDeps): (token: string) => Promise<string | undefined> {
  return async (token) => {
    const booking = await deps.uow.run((r) => findByIcsToken(r, token));
    if (!booking) return undefined;
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
