import { onDashboard } from '../src/shared/address.js';
import { call, type Flow, type StepContext, type Transition, type UserInput } from './types.js';
import { socialIntent, whole } from './common.js';
import { waitingNote } from './person.js';
import { retentionTerms } from './format.js';

/** Longest text a step reads; longer messages are kept but the resident is asked to shorten them. */
export const MAX_TEXT = 2000;
const DOUBLE_TAP_MS = 15_000;

/**
 * A first message: a short welcome and the privacy notice; in English when the first message asks
 * for something in English ("I want to book an appointment", "do you speak English?").
 */
export function firstContact(ctx: StepContext): Transition {
  const m = ctx.municipality;
  const english = ctx.input?.intent?.lang === 'en' && !socialIntent(ctx.input);
  const lang = english ? 'en' : ctx.lang;
  const t = ctx.tIn(lang);
  return {
    ...(lang !== ctx.lang ? { lang } : {}),
    say: [
      t('core.welcome', { municipality: m.name }),
      t('core.privacy', { ...retentionTerms(ctx, lang), url: m.privacy.url }),
    ],
  };
}

/**
 * Said when a conversation idle too long starts again at the menu; honest when a question or plan
 * the resident had written goes with it (it was never sent).
 */
export function idleReset(ctx: StepContext): Transition {
  const written = (ctx.data.parts?.length ?? 0) > 0 || ctx.data.proposal?.what !== undefined;
  return { say: [ctx.t(written ? 'core.idle_reset_unsent' : 'core.idle_reset')] };
}

/** Someone sends more than the rate limit allows: one kind notice; their messages are still kept. */
export function tooMany(ctx: StepContext): Transition {
  return { say: [ctx.t('core.too_many')] };
}

/** Re-offers what was asked last, so the resident can go on after a kind refusal. */
function again(ctx: StepContext, text: string): Transition {
  return { say: [{ text, ...(ctx.state.choices ? { choices: ctx.state.choices } : {}) }] };
}

/** The question step gathers several messages: there a long text can come in parts. */
function tooLongKey(ctx: StepContext): 'core.too_long' | 'core.too_long_parts' {
  const at = ctx.state.at;
  return at?.flow === 'ask' && at.step === 'text' ? 'core.too_long_parts' : 'core.too_long';
}

/**
 * Input no step should see: nothing, media only, no words, too long, or the same text twice within
 * seconds (a double tap), unless it only asks to see something again (the flow it `starts` is repeatable).
 */
export function guard(
  ctx: StepContext,
  input: UserInput,
  starts: () => Flow | undefined,
): Transition | undefined {
  if (ctx.state.mode === 'live') return undefined;
  if (!input.text && input.hasMedia) return again(ctx, ctx.t('core.media'));
  if (!input.text) return again(ctx, ctx.t('core.empty'));
  if (input.text.length > MAX_TEXT)
    return again(ctx, ctx.t(tooLongKey(ctx), { length: input.text.length, max: MAX_TEXT }));
  if (!input.choice && !/[\p{L}\p{N}?]/u.test(input.text)) return again(ctx, ctx.t('core.no_words'));
  const repeated =
    !input.choice &&
    input.normalized.length >= 4 &&
    input.normalized === ctx.state.lastText &&
    ctx.state.lastAt !== undefined &&
    ctx.now.getTime() - ctx.state.lastAt < DOUBLE_TAP_MS &&
    starts()?.repeatable !== true &&
    // "menu" again is asked for ("Stuur dan nog een keer 'menu'") and harms nothing twice.
    !whole(input, 'menu');
  // The choices of the question stay: a double tap must not leave the resident without them.
  if (repeated) return again(ctx, ctx.t('core.double'));
  return undefined;
}

/**
 * While live with an alderman, messages pass through; while waiting for a person, they wait (the
 * first one with a note that it is there).
 */
export function relay(ctx: StepContext, input: UserInput): Transition | undefined {
  const live = ctx.state.live;
  if (ctx.state.mode === 'human') return waitingNote(ctx);
  if (ctx.state.mode !== 'live' || !live) return undefined;
  const text = input.text || ctx.t('core.media');
  // Every line is kept with the booking, for the operators' log.
  const transcript = call(
    'bookings.transcript',
    { bookingId: live.bookingId, from: live.role, text },
    () => ({}),
  );
  if (live.role === 'resident') {
    const name = live.name ?? ctx.tIn('nl')('live.resident');
    // An alderman on the dashboard reads the transcript there; there is no chat to send to.
    const toAlderman = onDashboard(live.partner)
      ? []
      : [{ to: live.partner, text: `${name} (${live.reference}): ${text}` }];
    return {
      say: toAlderman,
      live: { ...live, residentWrote: true },
      call: transcript,
    };
  }
  // The alderman's words reach the resident as theirs: the resident's chat log names them.
  const author = ctx.staff ? { author: { role: 'alderman' as const, id: ctx.staff.aldermanId } } : {};
  return { say: [{ to: live.partner, text, ...author }], call: transcript };
}
