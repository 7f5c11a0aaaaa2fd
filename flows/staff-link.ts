import type { ServiceResult } from '../src/ports/services.js';
import { call, type Flow, type GlobalWord, type StepContext, type Transition } from './types.js';
import { findAlderman } from '../src/municipality/municipality.js';
import { MENU } from './common.js';

const MAX_FAILURES = 5;
const BLOCK_MS = 60 * 60_000;
const KOPPEL = /^(koppel|link)\s+(\d{6})$/;

/**
 * "koppel 123456": links this chat identity to the alderman the one-time code was made for.
 * Rights come only from the code, never from a name; repeated wrong codes block tries for an hour.
 */
export const staffLinkFlow: Flow = {
  name: 'staff-link',
  title: 'staff.title.link',
  start: 'check',
  label: 'dashboard.flow.staff-link',
  steps: {
    check: {
      enter: (ctx) => {
        const blockedUntil = ctx.state.profile.linkBlockedUntil ?? 0;
        if (blockedUntil > ctx.now.getTime()) return { say: [ctx.t('staff.link.blocked')], done: true };
        return { call: call('staff.link', { code: ctx.data.code ?? '' }, linked) };
      },
    },
  },
};

/** The code was right (this chat is the alderman's now) or wrong (counted; five wrong block an hour). */
function linked(ctx: StepContext, result: ServiceResult<string>): Transition {
  if (result.ok) {
    const alderman = findAlderman(ctx.municipality, result.value);
    // The menu of this turn is still a resident's (who is staff is read as a turn starts): its
    // choices are the alderman's own first, their open questions, then the whole menu.
    const choices = [
      { id: 'staff-cases', label: ctx.t('staff.menu.cases') },
      { id: MENU.flow, label: ctx.t('core.back_to_menu') },
    ];
    return {
      say: [{ text: ctx.t('staff.link.done', { name: alderman?.name ?? result.value }), choices }],
      profile: { linkFailures: 0 },
      done: true,
    };
  }
  const failures = (ctx.state.profile.linkFailures ?? 0) + 1;
  const blocked = failures >= MAX_FAILURES;
  return {
    say: [ctx.t(blocked ? 'staff.link.blocked' : 'staff.link.invalid')],
    profile: {
      linkFailures: blocked ? 0 : failures,
      ...(blocked ? { linkBlockedUntil: ctx.now.getTime() + BLOCK_MS } : {}),
    },
    done: true,
  };
}

export const staffLinkWord: GlobalWord = {
  // A staff member's first message is their link code: no welcome for residents first.
  noWelcome: true,
  name: 'staff-link',
  match: (input) => KOPPEL.test(input.normalized),
  handle: (_ctx, input) => ({
    data: { code: KOPPEL.exec(input.normalized)?.[2] },
    goto: { flow: 'staff-link', step: 'check' },
  }),
};
