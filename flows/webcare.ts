import type { EventHandler } from './types.js';
import { MENU } from './common.js';
import { dateText } from './format.js';

/** An operator took the conversation over: the resident knows a person reads along now. */
const taken: EventHandler<'webcare.taken'> = (ctx) =>
  ctx.state.mode === 'human' ? { say: [ctx.t('webcare.taken')], data: { personWait: 'taken' } } : {};

/**
 * The operator's words, as they typed them (only while the resident still waits for a person), with
 * who wrote them: the transcript names the operator to colleagues, not the chatbot.
 */
const reply: EventHandler<'webcare.reply'> = (ctx, payload) =>
  ctx.state.mode === 'human'
    ? {
        say: [
          {
            text: payload.text,
            author: { role: 'operator', ...(payload.operatorId ? { id: payload.operatorId } : {}) },
          },
        ],
      }
    : {};

/** Back to the bot: the resident is told, and offered the menu. */
const handedBack: EventHandler<'webcare.handed_back'> = (ctx) =>
  ctx.state.mode === 'human'
    ? { mode: 'bot', flags: { needsHuman: false }, say: [ctx.t('webcare.handed_back')], goto: { ...MENU } }
    : {};

/** The operator made a case of the conversation: the resident gets its reference and answer-by date. */
const caseMade: EventHandler<'webcare.case_made'> = (ctx, payload) => ({
  say: [ctx.t('webcare.case_made', { reference: payload.reference, date: dateText(ctx, payload.answerBy) })],
});

/** What webcare tells a resident's conversation. */
export const webcareEvents: {
  [K in 'webcare.taken' | 'webcare.reply' | 'webcare.handed_back' | 'webcare.case_made']: EventHandler<K>;
} = {
  'webcare.taken': taken,
  'webcare.reply': reply,
  'webcare.handed_back': handedBack,
  'webcare.case_made': caseMade,
};
