import type { ServiceResult } from '../src/ports/services.js';
import type { BookingView } from '../src/features/scheduling/views.js';
import { call, type Flow, type GlobalWord, type StepContext, type Transition } from './types.js';
import { askAgain, interrupt, interrupted, MENU, resume, toMenu, whole, yesNo, yesOrNo } from './common.js';
import { dateText, timeText } from './format.js';
import { tellAlderman } from './book.js';
import { INBOX_OPEN_STATUSES } from '../src/features/cases/case-status.js';

/**
 * The question says everything stopping does: no more messages, each upcoming appointment that
 * then lapses, by day and time, and each open question whose answer would no longer reach them.
 */
function confirmText(ctx: StepContext, bookings: readonly BookingView[], open: readonly string[]): string {
  const lapses = bookings.map((b) =>
    ctx.t('stop.confirm_booking', { date: dateText(ctx, b.start), time: timeText(ctx, b.start) }),
  );
  const unanswered = open.map((reference) => ctx.t('stop.confirm_question', { reference }));
  return [ctx.t('stop.confirm'), ...lapses, ...unanswered, ctx.t('stop.sure')].join('\n');
}

function ask(ctx: StepContext, result: ServiceResult<BookingView[]>): Transition {
  const bookings = result.ok ? result.value : [];
  return {
    call: call('cases.mine', {}, (next, cases) => {
      // Still owed an answer, or waiting for the resident's information: the answer would not reach them here.
      const open = (cases.ok ? cases.value : [])
        .filter((c) => INBOX_OPEN_STATUSES.includes(c.status))
        .map((c) => c.reference);
      return {
        data: { lapsing: bookings, unanswered: open },
        say: [{ text: confirmText(next, bookings, open), choices: yesNo(next, 'stop.yes', 'stop.no', true) }],
      };
    }),
  };
}

/**
 * Stopping needs a clear yes; after it the service is silent until "start". A no in the middle of
 * something (a booking, a question being written) goes on there, with what was typed kept.
 */
export function stopFlow(flows: () => readonly Flow[]): Flow {
  return {
    name: 'stop',
    title: 'core.title_stop',
    start: 'confirm',
    label: 'dashboard.flow.stop',
    steps: {
      confirm: {
        label: 'dashboard.flow_step.stop.confirm',
        enter: () => ({ call: call('bookings.upcoming', {}, ask) }),
        answer: (ctx, input) => {
          const yes = yesOrNo(input);
          // Someone who stops wants no more messages: their appointments (and reminders) go too,
          // and so do their subscriptions to district updates.
          if (yes === true)
            return {
              call: call('bookings.cancel-all', {}, (_ctx, cancelled) => ({
                call: call('participation.unsubscribe', {}, (c) => stopped(c, cancelled)),
              })),
            };
          if (yes === false && ctx.data.waitingForPerson)
            return {
              mode: 'human',
              leave: true,
              // Still waiting as before: whether a person reads along, or the note was said.
              ...(ctx.data.personWait ? { data: { personWait: ctx.data.personWait } } : {}),
              say: [ctx.t('stop.cancelled'), ctx.t('person.still_waiting')],
            };
          if (yes === false && interrupted(ctx)) return resume(ctx, flows(), ctx.t('stop.continue'));
          if (yes === false) return toMenu({ say: [ctx.t('stop.cancelled')] });
          return askAgain(ctx, confirmText(ctx, ctx.data.lapsing ?? [], ctx.data.unanswered ?? []));
        },
      },
    },
  };
}

/**
 * Stopped: silent from now on; the appointments, their reminders and the subscriptions are gone.
 * Each appointment's alderman is told it was cancelled, as when the resident cancels it one by one
 * (one a session already begun is not: it is past).
 */
function stopped(
  ctx: StepContext,
  result: ServiceResult<{ dropped: string[]; cancelled: BookingView[] }>,
): Transition {
  const { dropped, cancelled } = result.ok ? result.value : { dropped: [], cancelled: [] };
  const ahead = cancelled.filter((b) => b.start > ctx.now.getTime());
  return {
    say: [ctx.t('stop.done')],
    mode: 'stopped',
    live: null,
    flags: { needsHuman: false },
    effects: [
      ...dropped.map((jobId) => ({ type: 'cancel-job' as const, jobId })),
      ...ahead.map((b) => tellAlderman(b, 'cancelled')),
    ],
    // Nothing to come back to: the flow that was interrupted ends too.
    leave: true,
    done: true,
  };
}

/**
 * "stop" works while waiting for a person or talking to one too: the bot asks the question itself
 * (mode bot, or the answer would go to the person), and a "no" puts the resident back to waiting.
 * In a flow it interrupts the step, which a "no" asks again.
 */
export const stopWord: GlobalWord = {
  name: 'stop',
  worksIn: ['bot', 'human'],
  match: (input) => whole(input, 'stop'),
  handle: (ctx) =>
    ctx.state.mode === 'human'
      ? { mode: 'bot', data: { waitingForPerson: true }, goto: { flow: 'stop', step: 'confirm' } }
      : interrupt(ctx, { flow: 'stop', step: 'confirm' }),
};

/** "start" (and Telegram's /start) brings a stopped conversation back, or shows the menu. */
export const startWord: GlobalWord = {
  name: 'start',
  worksIn: ['stopped', 'bot'],
  match: (input) => whole(input, 'start'),
  handle: (ctx) =>
    ctx.state.mode === 'stopped'
      ? { mode: 'bot', say: [ctx.t('start.welcome_back')], goto: { ...MENU } }
      : { goto: { ...MENU } },
};
