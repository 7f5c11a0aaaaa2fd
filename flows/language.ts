import type { GlobalWord, StepContext, Transition } from './types.js';
import type { Language } from '../src/i18n/translator.js';
import { MENU, whole } from './common.js';

/** Switches language, says so in the new language, and shows the menu in it. */
export function switchLanguage(ctx: StepContext, lang: Language): Transition {
  return { lang, say: [ctx.tIn(lang)('language.switched')], goto: { ...MENU } };
}

/** "English" / "Nederlands" work at any step; while waiting for a person they stay waiting (no menu). */
export const languageWord: GlobalWord = {
  name: 'language',
  worksIn: ['bot', 'human'],
  match: (input) => !input.choice && (whole(input, 'english') || whole(input, 'dutch')),
  handle: (ctx, input) => {
    const lang = whole(input, 'english') ? 'en' : 'nl';
    if (ctx.state.mode !== 'human') return switchLanguage(ctx, lang);
    return { lang, say: [ctx.tIn(lang)('language.switched'), ctx.tIn(lang)('person.still_waiting')] };
  },
};
