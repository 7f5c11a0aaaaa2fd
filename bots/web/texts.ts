/** The languages the web chat's page is shown in. */
export type WebLanguage = 'nl' | 'en';

/** The keys of the web chat's texts (data/i18n/<language>/webchat.json). */
export const WEB_TEXT_KEYS = [
  'webchat.title',
  'webchat.intro',
  'webchat.skip',
  'webchat.other_language',
  'webchat.log_label',
  'webchat.you',
  'webchat.service',
  'webchat.empty',
  'webchat.choices_label',
  'webchat.input_label',
  'webchat.input_hint',
  'webchat.input_hint_nojs',
  'webchat.send',
  'webchat.sending',
  'webchat.refresh',
  'webchat.new_window',
  'webchat.clear',
  'webchat.clear_confirm',
  'webchat.clear_yes',
  'webchat.clear_no',
  'webchat.cleared',
  'webchat.status.connecting',
  'webchat.status.offline',
  'webchat.status.online',
  'webchat.refused.rate',
  'webchat.refused.address-rate',
  'webchat.refused.too-long',
  'webchat.refused.empty',
  'webchat.not_sent',
  'webchat.widget.open',
  'webchat.widget.close',
  'webchat.widget.frame_title',
] as const;

export type WebTextKey = (typeof WEB_TEXT_KEYS)[number];

/** Looks up a web chat text and fills in `{name}` placeholders. */
export type WebTranslate = (key: WebTextKey, vars?: Record<string, string | number>) => string;

/** The web chat's texts per language, as the composition root reads them from data/i18n. */
export type WebTexts = Record<WebLanguage, Record<string, string>>;

/** Checks that every key exists in both languages (a missing text stops start-up, not a resident). */
export function checkWebTexts(texts: WebTexts): void {
  for (const language of ['nl', 'en'] as const)
    for (const key of WEB_TEXT_KEYS)
      if (typeof texts[language][key] !== 'string')
        throw new Error(`data/i18n/${language}: missing web chat text '${key}'`);
}

/** A translator for one language; `{municipality}` is always filled in. */
export function webTranslator(texts: WebTexts, language: WebLanguage, municipality: string): WebTranslate {
  return (key, vars) => {
    const all: Record<string, string | number> = { municipality, ...vars };
    return (texts[language][key] ?? key).replace(/\{(\w+)\}/g, (m, name: string) =>
      name in all ? String(all[name]) : m,
    );
  };
}

/** The page's language: `?lang=`, else the browser's first preference of nl or en, else the default. */
export function pickLanguage(
  query: string | undefined,
  acceptLanguage: string | undefined,
  fallback: WebLanguage,
): WebLanguage {
  if (query === 'nl' || query === 'en') return query;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'nl' || tag === 'en') return tag;
  }
  return fallback;
}
