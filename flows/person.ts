import type { Flow, GlobalWord, StepContext, Transition } from './types.js';
import { holidayOn } from '../src/municipality/holidays.js';
import { officeAvailability } from '../src/municipality/office-hours.js';
import { MENU } from './common.js';

/** Hands the conversation to a person, honest about when someone will answer. */
function askForPerson(ctx: StepContext): Transition {
  const m = ctx.municipality;
  const when = officeAvailability({
    now: ctx.now,
    timeZone: m.timeZone,
    hours: m.officeHours,
    // On a public holiday nobody is at the office, whatever the weekday's hours say.
    isClosedDay: (date) => holidayOn(m.cases.holidays, date) !== undefined,
  });
  const text = when.open
    ? ctx.t('person.open', { minutes: m.humanResponseMinutes })
    : ctx.t('person.closed', {
        day:
          when.daysAhead === 0
            ? ctx.t('core.today')
            : when.daysAhead === 1
              ? ctx.t('core.tomorrow')
              : ctx.t(`weekday.${when.day}`),
        time: when.time,
        phone: m.phone,
      });
  return { say: [text], mode: 'human', flags: { needsHuman: true }, done: true };
}

export const personFlow: Flow = {
  name: 'person',
  start: 'handover',
  menu: { order: 90, label: 'core.menu.person', synonyms: ['medewerker', 'mens', 'person'] },
  steps: { handover: { enter: askForPerson } },
};

export const personWord: GlobalWord = {
  name: 'person',
  match: (input) =>
    !input.choice &&
    /^(medewerker|een medewerker|mens|persoon|person|human|agent|operator|iemand spreken|praten met een medewerker|talk to a person)$/.test(
      input.normalized,
    ),
  handle: askForPerson,
};

/** "menu" works everywhere; while waiting for a person it also takes the bot back. */
export const menuWord: GlobalWord = {
  name: 'menu',
  worksIn: ['bot', 'human'],
  match: (input) =>
    /^(menu|hoofdmenu|main menu|begin|terug naar het menu|back to the menu)$/.test(input.normalized),
  handle: (ctx) =>
    ctx.state.mode === 'human'
      ? { mode: 'bot', flags: { needsHuman: false }, say: [ctx.t('person.waiting_menu')], goto: { ...MENU } }
      : { goto: { ...MENU } },
};

export const helpWord: GlobalWord = {
  name: 'help',
  worksIn: ['bot', 'human'],
  match: (input) => /^(help|hulp|\?|\/help|wat kan ik doen|what can i do|uitleg)$/.test(input.normalized),
  handle: (ctx) => ({ say: [ctx.t('core.help')], goto: { ...MENU } }),
};
