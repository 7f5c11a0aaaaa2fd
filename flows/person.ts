import {
  call,
  type Flow,
  type GlobalWord,
  type StepContext,
  type Transition,
  type UserInput,
} from './types.js';
import { holidayOn } from '../src/municipality/holidays.js';
import { officeAvailability } from '../src/municipality/office-hours.js';
import { leaving, MENU, sameStep, whole } from './common.js';
import { exampleReference } from './format.js';
import type { ServiceResult } from '../src/ports/services.js';
import type { Withdrawal } from '../src/ports/webcare-repository.js';

/** Whether staff are at work now; if not, when they are back, in words ("morgen om 08:30"). */
function officeNow(ctx: StepContext): { open: true } | { open: false; back: string } {
  const m = ctx.municipality;
  const when = officeAvailability({
    now: ctx.now,
    timeZone: m.timeZone,
    hours: m.officeHours,
    // On a public holiday nobody is at the office, whatever the weekday's hours say.
    isClosedDay: (date) => holidayOn(m.cases.holidays, date) !== undefined,
  });
  if (when.open) return { open: true };
  const at = { time: when.time };
  const back =
    when.daysAhead === 0
      ? ctx.t('person.when_today', at)
      : when.daysAhead === 1
        ? ctx.t('person.when_tomorrow', at)
        : ctx.t('person.when_day', { ...at, day: ctx.t(`weekday.${when.day}`) });
  return { open: false, back };
}

/** Hands the conversation to a person, honest about when someone will answer. */
function askForPerson(ctx: StepContext): Transition {
  const m = ctx.municipality;
  const when = officeNow(ctx);
  const request = (text: string): Transition => ({
    say: [text],
    mode: 'human',
    flags: { needsHuman: true },
    // The webcare queue keeps when they asked and what they were promised. Every flow is left; what
    // is kept is where the request stands (see `waitingNote`).
    call: call('webcare.request', { promise: text, closed: !when.open }, () => ({
      leave: true,
      data: { personWait: 'asked' },
    })),
  });
  if (when.open) return request(ctx.t('person.open', { count: m.humanResponseMinutes }));
  return request(ctx.t('person.closed', { when: when.back, phone: m.phone }));
}

/**
 * While waiting for a person, what the resident writes is for them, but the first message gets one
 * short note that it is there (with when staff are back, outside office hours) and how to stop
 * waiting; the next ones get none. Once an operator reads along, the bot says nothing.
 */
export function waitingNote(ctx: StepContext): Transition | undefined {
  if (ctx.state.mode !== 'human' || ctx.data.personWait !== 'asked') return undefined;
  const when = officeNow(ctx);
  const text = when.open
    ? ctx.t('person.wait_noted')
    : ctx.t('person.wait_noted_closed', { when: when.back });
  return { say: [text], data: { personWait: 'noted' } };
}

/**
 * "Wat is het telefoonnummer?", "waar is het raadhuis?", "openingstijden": the municipality's address
 * (when its data has one), phone number and whether it can be reached now, then on at the same
 * question (or the menu). Only with the bot: while waiting for a person the message is theirs.
 */
export function contactWord(flows: () => readonly Flow[]): GlobalWord {
  return {
    name: 'contact',
    notInFreeText: true,
    match: (input) => !input.choice && input.intent?.intent === 'contact',
    handle: (ctx) => {
      const now = officeNow(ctx);
      const when = now.open ? ctx.t('contact.open_now') : ctx.t('contact.back_at', { when: now.back });
      const address = ctx.municipality.address;
      const info = ctx.t('contact.info', { phone: ctx.municipality.phone, when });
      const text = address ? `${ctx.t('contact.address', { address })}\n${info}` : info;
      return sameStep(ctx, flows(), text) ?? { say: [text], goto: { ...MENU } };
    },
  };
}

export const personFlow: Flow = {
  name: 'person',
  start: 'handover',
  label: 'dashboard.flow.person',
  intents: ['person'],
  menu: { order: 90, label: 'core.menu.person' },
  steps: { handover: { enter: askForPerson } },
};

export const personWord: GlobalWord = {
  name: 'person',
  match: (input) => !input.choice && whole(input, 'person'),
  handle: askForPerson,
};

/**
 * "menu" works everywhere; while waiting for a person it also takes the bot back. A question being
 * written is not dropped without a word: its step asks first (`Step.leaving`).
 */
export function menuWord(flows: () => readonly Flow[]): GlobalWord {
  return {
    name: 'menu',
    worksIn: ['bot', 'human'],
    match: (input) => whole(input, 'menu'),
    handle: (ctx) =>
      ctx.state.mode === 'human'
        ? {
            mode: 'bot',
            flags: { needsHuman: false },
            say: [ctx.t('person.waiting_menu')],
            goto: { ...MENU },
          }
        : (leaving(ctx, flows()) ?? { goto: { ...MENU } }),
  };
}

/**
 * "laat maar", "hoeft niet meer", "never mind" while waiting for a person: the request is withdrawn
 * and the resident is back with the bot, told how to get help again. Only the whole message counts
 * ("laat maar weten wanneer" is a message for the person), and never a question. When an operator
 * has the conversation already, it stays with them: the message is theirs to read, the dashboard
 * marks the request withdrawn, and the resident hears that and how to leave at once ('menu').
 */
export const withdrawWord: GlobalWord = {
  name: 'withdraw',
  worksIn: ['human'],
  match: (input) => !input.choice && !input.text.includes('?') && noLongerNeeded(input),
  handle: () => ({ call: call('webcare.withdraw', {}, withdrawn) }),
};

/**
 * The whole message says the person is no longer needed: a `withdraw` or `back` phrase ("ok laat
 * maar", "nvm"), or a no that goes back and says nothing else ("toch niet nodig"; the no alone, "nee",
 * may answer what the operator asked, so it stays theirs).
 */
function noLongerNeeded(input: UserInput): boolean {
  if (whole(input, 'withdraw') || whole(input, 'back')) return true;
  return input.intent?.intent === 'back' && input.answer === 'no' && input.answerAlone === true;
}

function withdrawn(ctx: StepContext, result: ServiceResult<{ withdrawal: Withdrawal }>): Transition {
  if (result.ok && result.value.withdrawal === 'taken') return { say: [ctx.t('person.withdrawn_taken')] };
  return { mode: 'bot', flags: { needsHuman: false }, say: [ctx.t('person.withdrawn')] };
}

/** A linked alderman's help also names the words that are theirs alone, which the menu does not show. */
function withStaffWords(ctx: StepContext, help: string): string {
  if (!ctx.staff) return help;
  // Theirs first: the residents' words and "we go on where you were" follow.
  return `${ctx.t('staff.help', { example: exampleReference(ctx) })}\n${help}`;
}

/**
 * Help. In a flow it goes on at the same question afterwards, with what was typed kept; while
 * waiting for a person no menu (its choices would go to the person), but the words that work there.
 */
export function helpWord(flows: () => readonly Flow[]): GlobalWord {
  return {
    name: 'help',
    worksIn: ['bot', 'human'],
    // A lone "?" is a question for help too.
    match: (input) => whole(input, 'help') || input.text.trim() === '?',
    handle: (ctx) => {
      // While waiting no menu is shown: only the words that work there.
      if (ctx.state.mode === 'human')
        return {
          say: [ctx.t(ctx.data.personWait === 'taken' ? 'person.help_taken' : 'person.help_waiting')],
        };
      const inFlow = sameStep(ctx, flows(), withStaffWords(ctx, ctx.t('core.help_flow')));
      return inFlow ?? { say: [withStaffWords(ctx, ctx.t('core.help'))], goto: { ...MENU } };
    },
  };
}
