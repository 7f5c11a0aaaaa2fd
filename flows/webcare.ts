import type { EventHandler } from './types.js';
import { MENU } from './common.js';

/** An operator took the conversation over: the resident knows a person reads along now. */
const taken: EventHandler<'webcare.taken'> = (ctx) =>
  ctx.state.mode === 'human' ? { say: [ctx.t('webcare.taken')] } : {};

/** The operator's words, as they typed them (only while the resident still waits for a person). */
const reply: EventHandler<'webcare.reply'> = (ctx, payload) =>
  ctx.state.mode === 'human' ? { say: [payload.text] } : {};

/** Back to the bot: the resident is told, and offered the menu. */
const handedBack: EventHandler<'webcare.handed_back'> = (ctx) =>
  ctx.state.mode === 'human'
    ? { mode: 'bot', flags: { needsHuman: false }, say: [ctx.t('webcare.handed_back')], goto: { ...MENU } }
    : {};

/** What webcare tells a resident's conversation. */
export const webcareEvents: {
  [K in 'webcare.taken' | 'webcare.reply' | 'webcare.handed_back']: EventHandler<K>;
} = {
  'webcare.taken': taken,
  'webcare.reply': reply,
  'webcare.handed_back': handedBack,
};
