import type { GlobalWord, StepContext, Transition } from './types.js';
import type { Language } from '../src/i18n/translator.js';
import { MENU } from './common.js';

/** Switches language, says so in the new language, and shows the menu in it. */
export function switchLanguage(ctx: StepContext, lang: Language): Transition {
  return { lang, say: [ctx.tIn(lang)('language.switched')], goto: { ...MENU } };
}

const TO_EN = /^(english|engels|in english|switch to english|speak english|eng)$/;
const TO_NL = /^(nederlands|dutch|in het nederlands|nl|ned)$/;

/** "English" / "Nederlands" work at any step. */
export const languageWord: GlobalWord = {
  name: 'language',
  worksIn: ['bot', 'human'],
  match: (input) => !input.choice && (TO_EN.test(input.normalized) || TO_NL.test(input.normalized)),
  handle: (ctx, input) => switchLanguage(ctx, TO_EN.test(input.normalized) ? 'en' : 'nl'),
};
