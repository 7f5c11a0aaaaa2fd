import {
  call,
  eventLater,
  type EventHandler,
  type Flow,
  type StepContext,
  type Transition,
} from './types.js';
import { MAX_CASE_TEXT_LENGTH } from '../src/features/cases/case-service.js';
import { findSensitive } from '../src/features/cases/sensitive.js';
import type { CaseView } from '../src/features/cases/views.js';
import type { ServiceResult } from '../src/ports/services.js';
import { askAgain, knownDistrictId, toMenu, whole, yesNo, yesOrNo } from './common.js';
import { caseErrorText, dateText, firstWords, topicLabel } from './format.js';

/** How long after the last message the question counts as complete without "Klaar". */
export const ASK_PAUSE_MS = 2 * 60_000;

function parts(ctx: StepContext): string[] {
  return ctx.data.parts ?? [];
}

/** A timer that moves on after a pause; its id carries the number of parts, so a newer message makes it stale. */
function pauseTimer(ctx: StepContext, count: number): Transition['effects'] {
  const { channel, userId } = ctx.address;
  const eventId = `ask-pause:${channel}:${userId}:${ctx.now.getTime()}:${count}`;
  const runAt = new Date(ctx.now.getTime() + ASK_PAUSE_MS);
  return [eventLater(ctx.address, 'ask.pause', { count }, { eventId, jobId: eventId, runAt })];
}

function topicChoices(ctx: StepContext) {
  return ctx.municipality.cases.topics.map((t) => ({ id: `topic:${t.id}`, label: t.label[ctx.lang] }));
}

function doneChoice(ctx: StepContext) {
  return { id: 'done', label: ctx.t('ask.done') };
}

/**
 * One more part of the question, then "anything to add?" (`reply`, which may quote the part). A
 * part that would make the question too long is not kept, and the resident is told so.
 */
function addPart(
  ctx: StepContext,
  sofar: readonly string[],
  text: string,
  reply: (ctx: StepContext) => string,
): Transition {
  const next = [...sofar, text];
  if (next.join('\n').length > MAX_CASE_TEXT_LENGTH) {
    const tooLong = {
      text: ctx.t('ask.too_long', { max: MAX_CASE_TEXT_LENGTH }),
      choices: [doneChoice(ctx)],
    };
    // Nothing kept yet: the resident still has to write a question.
    return sofar.length
      ? { say: [tooLong] }
      : { data: { parts: [] }, say: [tooLong.text, ctx.t('ask.write')] };
  }
  // A BSN, bank account or phone number: kept (it is their question), but hidden from staff, and
  // the resident is told kindly not to send these by chat.
  const warn = findSensitive(text).length > 0 ? [ctx.t('ask.sensitive')] : [];
  return {
    data: { parts: next },
    say: [...warn, { text: reply(ctx), choices: [doneChoice(ctx)] }],
    effects: pauseTimer(ctx, next.length),
  };
}

/** After the text: the district (asked only when unknown), then the topic. */
function afterText(ctx: StepContext): Transition {
  const known = knownDistrictId(ctx);
  return known ? { goto: 'topic' } : { goto: { flow: 'district', step: 'ask' }, returnTo: 'topic' };
}

/**
 * Asking a question: the resident writes it (several messages are gathered until "Klaar" or a
 * pause), picks a topic, confirms; it becomes a case with a reference and an answer-by date.
 */
export const askQuestionFlow: Flow = {
  name: 'ask',
  start: 'text',
  label: 'dashboard.flow.ask',
  intents: ['ask'],
  menu: { order: 30, label: 'ask.menu' },
  steps: {
    text: {
      label: 'dashboard.flow_step.ask.text',
      freeText: true,
      // Entered again with parts (the language switched), what was written is kept. Started by a
      // message that says more than "I have a question" ("ik heb een vraag over de stoep voor mijn
      // huis"), that message is the first part: the resident need not write it again.
      enter: (ctx) => {
        if (parts(ctx).length) return { say: [{ text: ctx.t('ask.more'), choices: [doneChoice(ctx)] }] };
        // What they wrote at the menu and agreed to send as a question (`offer`) is its first part.
        const draft = ctx.data.draft;
        if (draft) {
          const kept = addPart(ctx, [], draft, (c) => c.t('ask.kept', { text: firstWords(draft, 40) }));
          return { ...kept, data: { ...kept.data, draft: undefined } };
        }
        const input = ctx.input;
        // (At the menu a word of a label may have picked the choice; a number or a label says no more.)
        const byWords = !input?.choice || input.choiceBy === 'words';
        if (input && byWords && input.intent?.intent === 'ask' && !input.intent.whole)
          return addPart(ctx, [], input.text, (c) => c.t('ask.kept', { text: firstWords(input.text, 40) }));
        return { data: { parts: [] }, say: [ctx.t('ask.write')] };
      },
      answer: (ctx, input) => {
        const sofar = parts(ctx);
        if (input.choice?.id === 'done' || whole(input, 'done')) {
          return sofar.length ? afterText(ctx) : { say: [ctx.t('ask.nothing_yet')] };
        }
        // "Wilt u nog iets toevoegen?" answered "nee (dank je)": done, not a part of the question.
        // "klopt niet" or "dat is fout" to it says what was written down is wrong: not done, and no
        // part of the question either; they may write what should change.
        if (sofar.length && input.answer === 'no' && input.answerAlone)
          return input.answerNotAsIs
            ? { say: [{ text: ctx.t('ask.correct'), choices: [doneChoice(ctx)] }] }
            : afterText(ctx);
        // "klopt" or "prima zo" to it says what was written is right as it is: done, as "nee" is.
        if (sofar.length && input.answer === 'yes' && input.answerAlone && input.answerAsIs)
          return afterText(ctx);
        // "ja" or "ok" to that question is no part of the question: they may go on writing.
        if (sofar.length && input.answer === 'yes' && input.answerAlone)
          return { say: [{ text: ctx.t('ask.go_on'), choices: [doneChoice(ctx)] }] };
        return addPart(ctx, sofar, input.text, (c) => c.t('ask.more'));
      },
      // "menu" or "terug" with words written: they are not dropped without asking.
      leaving: (ctx) => (parts(ctx).length ? { goto: 'leave' } : undefined),
    },
    // "menu" while writing: finish and send what was written, or leave it unsent (said so).
    leave: {
      label: 'dashboard.flow_step.ask.leave',
      enter: (ctx) => {
        const text = firstWords(parts(ctx).join(' '), 40);
        const choices = yesNo(ctx, 'ask.leave_finish', 'ask.leave_drop');
        return { say: [{ text: ctx.t('ask.leave', { text }), choices }] };
      },
      answer: (ctx, input) => {
        const yes = yesOrNo(input);
        if (yes === true) return afterText(ctx);
        if (yes === false) return toMenu({ say: [ctx.t('ask.leave_dropped')] });
        return askAgain(ctx);
      },
    },
    // A question or a report written at the menu in words of its own ("de lantaarnpaal in mijn
    // straat is al weken kapot"): offered as a question, never sent without a yes.
    offer: {
      label: 'dashboard.flow_step.ask.offer',
      // Only the bot's guess: "mijn afspraak afzeggen" here goes to the appointments straight away.
      tentative: true,
      enter: (ctx) => {
        const text = firstWords(ctx.data.draft ?? '', 40);
        const days = ctx.municipality.cases.routing.answerNormWorkingDays;
        const choices = yesNo(ctx, 'ask.offer_yes', 'ask.offer_no');
        return { say: [{ text: ctx.t('ask.offer', { text, days }), choices }] };
      },
      answer: (ctx, input) => {
        const yes = yesOrNo(input);
        if (yes === true) return { goto: 'text' };
        if (yes === false) return toMenu({ say: [ctx.t('ask.offer_declined')], data: { draft: undefined } });
        return askAgain(ctx);
      },
    },
    topic: {
      label: 'dashboard.flow_step.ask.topic',
      enter: (ctx) => ({ say: [{ text: ctx.t('ask.topic'), choices: topicChoices(ctx) }] }),
      answer: (ctx, input) => {
        // "weet ik niet", "geen idee": the municipality's catch-all topic, when it has one.
        const unsure = !input.choice && input.answer === 'unsure';
        const other = unsure ? ctx.municipality.cases.topics.find((t) => t.other)?.id : undefined;
        const id = input.choice?.id.startsWith('topic:') ? input.choice.id.slice(6) : other;
        if (!id) return askAgain(ctx, ctx.t('ask.topic'));
        return { data: { topic: id }, goto: 'confirm' };
      },
    },
    confirm: {
      label: 'dashboard.flow_step.ask.confirm',
      enter: (ctx) => {
        const choices = [
          { id: 'send', label: ctx.t('ask.send'), means: 'yes' as const, acts: true },
          { id: 'restart', label: ctx.t('ask.restart') },
          { id: 'cancel', label: ctx.t('ask.cancel'), means: 'no' as const },
        ];
        return {
          say: [{ text: confirmText(ctx), choices }],
        };
      },
      answer: (ctx, input) => {
        const id = input.choice?.id;
        if (id === 'restart') return { data: { parts: [] }, goto: 'text' };
        if (id === 'cancel') return toMenu({ say: [ctx.t('ask.cancelled')] });
        // Only a clear yes sends; anything unclear asks again.
        if (id !== 'send') return askAgain(ctx, confirmText(ctx));
        const districtId = knownDistrictId(ctx) ?? null;
        const firstName = ctx.input?.firstName ?? ctx.state.profile.firstName;
        const args = {
          topic: ctx.data.topic ?? '',
          text: parts(ctx).join('\n'),
          districtId,
          language: ctx.lang,
          ...(firstName ? { firstName } : {}),
        };
        return { call: call('cases.create', args, created) };
      },
    },
  },
};

/** The question and its topic, as the confirmation shows them. */
function confirmText(ctx: StepContext): string {
  return ctx.t('ask.confirm', {
    text: parts(ctx).join('\n'),
    topic: topicLabel(ctx, String(ctx.data.topic)),
  });
}

/** The question is a case now: its reference and answer-by date; routing goes on the queue. */
function created(ctx: StepContext, result: ServiceResult<CaseView>): Transition {
  if (!result.ok) return toMenu({ say: [caseErrorText(ctx, result.code)] });
  const c = result.value;
  return toMenu({
    say: [
      ctx.t('ask.created', { reference: c.reference, date: dateText(ctx, c.answerBy) }),
      ctx.t('ask.created_followup', { reference: c.reference }),
    ],
    effects: [{ type: 'schedule', name: 'case.route', data: { caseId: c.id }, jobId: `case-route-${c.id}` }],
  });
}

/** A pause after the last part of a question: carry on as if the resident chose "Klaar". */
export const askPause: EventHandler<'ask.pause'> = (ctx, payload) => {
  const here = ctx.state.at;
  if (here?.flow !== 'ask' || here.step !== 'text' || parts(ctx).length !== payload.count) return {};
  return afterText(ctx);
};
