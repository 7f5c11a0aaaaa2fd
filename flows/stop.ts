import type { ServiceResult } from '../src/ports/services.js';
import { call, type Flow, type GlobalWord, type StepContext, type Transition } from './types.js';
import { MENU, toMenu, yesNo, yesOrNo } from './common.js';

/** Stopping needs a confirmation; after it the service is silent until "start". */
export const stopFlow: Flow = {
  name: 'stop',
  start: 'confirm',
  steps: {
    confirm: {
      enter: (ctx) => ({
        say: [{ text: ctx.t('stop.confirm'), choices: yesNo(ctx, 'stop.yes', 'stop.no') }],
      }),
      answer: (ctx, input) => {
        const yes = yesOrNo(input);
        // Someone who stops wants no more messages: their appointments (and reminders) go too.
        if (yes === true) return { call: call('bookings.cancel-all', {}, stopped) };
        if (yes === false) return toMenu({ say: [ctx.t('stop.cancelled')] });
        return { say: [{ text: ctx.t('stop.confirm'), choices: yesNo(ctx, 'stop.yes', 'stop.no') }] };
      },
    },
  },
};

/** Stopped: silent from now on; the appointments and their reminders are gone. */
function stopped(ctx: StepContext, result: ServiceResult<{ dropped: string[] }>): Transition {
  const dropped = result.ok ? result.value.dropped : [];
  return {
    say: [ctx.t('stop.done')],
    mode: 'stopped',
    live: null,
    flags: { needsHuman: false },
    effects: dropped.map((jobId) => ({ type: 'cancel-job' as const, jobId })),
    done: true,
  };
}

export const stopWord: GlobalWord = {
  name: 'stop',
  worksIn: ['bot', 'human'],
  match: (input) => /^(stop|stoppen|afmelden|uitschrijven|unsubscribe|\/stop)$/.test(input.normalized),
  handle: () => ({ goto: { flow: 'stop', step: 'confirm' } }),
};

/** "start" (and Telegram's /start) brings a stopped conversation back, or shows the menu. */
export const startWord: GlobalWord = {
  name: 'start',
  worksIn: ['stopped', 'bot'],
  match: (input) => /^\/?(start|aanmelden|opnieuw beginnen)$/.test(input.normalized),
  handle: (ctx) =>
    ctx.state.mode === 'stopped'
      ? { mode: 'bot', say: [ctx.t('start.welcome_back')], goto: { ...MENU } }
      : { goto: { ...MENU } },
};
