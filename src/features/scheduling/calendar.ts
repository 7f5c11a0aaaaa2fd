import { translator } from '../../i18n/translator.js';
import { findByIcsToken } from './booking-records.js';
import { renderIcs } from './ics.js';
import type { App } from '../../app/app.js';

/** The calendar file of the booking with this token, in the language the resident chats in. */
export function calendarLookup(app: App): (token: string) => Promise<string | undefined> {
  return async (token) => {
    const booking = await app.uow.run((r) => findByIcsToken(r, token));
    if (!booking) return undefined;
    const m = app.municipality;
    const alderman = m.aldermen.find((a) => a.id === booking.aldermanId);
    const state = await app.uow.run((r) => r.conversations.lockConversation(booking.residentKey));
    const language = (state?.state as { lang?: string } | null)?.lang === 'en' ? 'en' : 'nl';
    return renderIcs(booking, {
      municipalityName: m.name,
      aldermanName: alderman?.name ?? booking.aldermanId,
      timeZone: m.timeZone,
      language,
      t: translator(app.texts, language),
    });
  };
}
