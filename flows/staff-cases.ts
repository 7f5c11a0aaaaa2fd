import type { ServiceResult } from '../src/ports/services.js';
import { call, eventLater, type Flow, type GlobalWord, type StepContext, type Transition } from './types.js';
import type { CaseView, StaffCaseView, ThreadEntry } from '../src/features/cases/views.js';
import { addressOfKey } from '../src/shared/address.js';
import { findReference } from '../src/features/cases/reference.js';
import { toMenu, yesNo, yesOrNo } from './common.js';
import { caseErrorText, exampleReference } from './format.js';
import {
  byDue,
  caseLine,
  caseVars,
  proposalDetails,
  residentLanguage,
  stageLabel,
} from './staff-case-format.js';
import { owesReaction } from '../src/features/cases/case-status.js';
import { caseStatusText } from './my-questions.js';
import { maskSensitive } from '../src/features/cases/sensitive.js';
import { sameWord } from '../src/understanding/tokens.js';

/** The command word and what follows it. */
const COMMAND_THEN_REST = /^(\S+)\s*(.*)$/s;
/** A reference at the start, written loosely ("rsw 2026 42"), then the answer text. */
const REFERENCE_THEN_TEXT = /^([A-Za-z]{2,5}[\s-]*\d{4}[\s-]*\d{1,6})[\s:,-]+(\S[\s\S]*)$/;

/**
 * A proposal is answered through its stages (the resident hears each one): the way to set them, for
 * the alderman who picked one from the list or typed "antwoord" before its reference.
 */
function proposalHelp(ctx: StepContext, reference: string): string[] {
  return [
    ctx.t('staff.cases.is_proposal', { reference }),
    ctx.t('staff.stage.usage', { example: reference }),
  ];
}

/** Sends the answer to the resident through their own conversation, on the channel they asked on. */
function deliverAnswer(ctx: StepContext, result: ServiceResult<CaseView>, reference: string): Transition {
  if (!result.ok && result.code === 'case.is_proposal') return toMenu({ say: proposalHelp(ctx, reference) });
  if (!result.ok) return staffError(ctx, result.code, reference);
  const c = result.value;
  const eventId = `case-answered:${c.id}:${c.reopenedCount}`;
  return toMenu({
    say: [ctx.t('staff.cases.sent', { reference: c.reference })],
    effects: [
      eventLater(addressOfKey(c.residentKey), 'case.answered', { case: c }, { eventId, jobId: eventId }),
    ],
  });
}

/**
 * Sends the alderman's question to the resident, who is asked to reply in their own chat (the same
 * event as "ask the resident for information" in the dashboard).
 */
function deliverQuestion(ctx: StepContext, result: ServiceResult<CaseView>, question: string): Transition {
  const reference = ctx.data.reference ?? '';
  if (!result.ok && result.code === 'case.is_proposal') return toMenu({ say: proposalHelp(ctx, reference) });
  if (!result.ok) return staffError(ctx, result.code, reference);
  const c = result.value;
  const eventId = `case-info-requested:${c.id}:${ctx.now.getTime()}`;
  return toMenu({
    say: [ctx.t('staff.cases.info_sent', { reference: c.reference })],
    effects: [
      eventLater(
        addressOfKey(c.residentKey),
        'case.info_requested',
        { case: c, question: question.trim() },
        { eventId, jobId: eventId },
      ),
    ],
  });
}

/** Send as the answer, write it again, or send it as a question to the resident. */
function confirmChoices(ctx: StepContext) {
  return [
    ...yesNo(ctx, 'staff.cases.send', 'staff.cases.rewrite', true),
    { id: 'info', label: ctx.t('staff.cases.send_as_question'), acts: true },
  ];
}

/** The alderman's open cases, earliest answer-by first, each to pick. */
function listed(ctx: StepContext, result: ServiceResult<CaseView[]>): Transition {
  if (!result.ok) return staffError(ctx, result.code);
  const cases = byDue(result.value).slice(0, 10);
  if (cases.length === 0) return toMenu({ say: [ctx.t('staff.cases.none')] });
  const lines = cases.map((c) => `• ${caseLine(ctx, c)}`);
  const choices = [
    ...cases.map((c) => ({ id: `case:${c.reference}`, label: c.reference })),
    { id: 'menu', label: ctx.t('core.back_to_menu') },
  ];
  return { say: [{ text: [ctx.t('staff.cases.list'), ...lines].join('\n'), choices }], goto: 'pick' };
}

/** One case shown in full; the alderman writes the answer next. */
function shown(ctx: StepContext, result: ServiceResult<StaffCaseView>): Transition {
  if (!result.ok) return staffError(ctx, result.code);
  const c = result.value;
  // Picked by its typed reference, or answered by a colleague since the list was shown.
  if (c.status === 'answered' && c.answer !== null)
    return toMenu({
      say: [ctx.t('staff.cases.answered_before', { reference: c.reference, answer: c.answer })],
    });
  if (c.status === 'answered' || c.status === 'closed')
    return toMenu({ say: [ctx.t('staff.cases.closed_before', { reference: c.reference })] });
  if (c.kind === 'proposal') {
    const stage = stageLabel(ctx, c);
    const vars = { ...caseVars(ctx, c), stage, details: proposalDetails(ctx, c) };
    // After its first reaction the date promised no longer binds: its stage says where it is.
    const shownProposal = ctx.t(
      owesReaction(c) ? 'staff.cases.show_proposal' : 'staff.cases.show_proposal_reacted',
      vars,
    );
    return toMenu({ say: [shownProposal, ...proposalHelp(ctx, c.reference)] });
  }
  const shownCase = ctx.t('staff.cases.show', { ...caseVars(ctx, c), text: maskSensitive(c.text) });
  const write = [ctx.t('staff.cases.write'), ...residentLanguage(ctx, c)].join(' ');
  const say = [shownCase, ...threadLines(ctx, c.thread), write].join('\n\n');
  // Also from "antwoord <reference>" alone, which is a flow of its own.
  return { say: [say], data: { reference: c.reference }, goto: { flow: 'staff-cases', step: 'write' } };
}

/**
 * What was said on the question since it was asked (an earlier answer, a question for information,
 * the resident's reply or reaction): the alderman who opens it sees what they are answering.
 */
function threadLines(ctx: StepContext, thread: readonly ThreadEntry[]): string[] {
  if (thread.length === 0) return [];
  const lines = thread.map((e) => {
    // Staff's own words are shown as written; the resident's are masked as their question is.
    const text = e.type === 'info_received' || e.type === 'reopened' ? maskSensitive(e.text) : e.text;
    return `• ${ctx.t(`staff.cases.thread.${e.type}`, { text })}`;
  });
  return [[ctx.t('staff.cases.thread'), ...lines].join('\n')];
}

/**
 * A case the alderman looked up by its reference ("RSW-2026-000042", "status RSW-…"): theirs opens
 * as from the list. A reference of a question they asked themselves, as a resident from this chat,
 * gets its status; any other the same refusal as an answer to it.
 */
function opened(ctx: StepContext, result: ServiceResult<StaffCaseView>, reference: string): Transition {
  if (result.ok || (result.code !== 'staff.not_yours' && result.code !== 'case.not_found'))
    return shown(ctx, result);
  return {
    call: call('cases.find', { reference }, (next, own) =>
      own.ok ? toMenu({ say: [caseStatusText(next, own.value)] }) : staffError(next, 'staff.not_yours'),
    ),
  };
}

function staffError(ctx: StepContext, code: string, reference = ''): Transition {
  if (code === 'staff.only') return toMenu({ say: [ctx.t('staff.only')] });
  if (code === 'case.already_answered')
    return toMenu({ say: [ctx.t('staff.cases.already_answered', { reference })] });
  if (code === 'case.already_closed')
    return toMenu({ say: [ctx.t('staff.cases.already_closed', { reference })] });
  if (code === 'case.already_waiting')
    return toMenu({ say: [ctx.t('staff.cases.already_waiting', { reference })] });
  if (code === 'staff.not_yours' || code === 'case.not_found')
    return toMenu({ say: [ctx.t('staff.cases.not_yours')] });
  // The case texts speak to residents; an alderman gets them as the reason, with their values filled in.
  return toMenu({ say: [ctx.t('staff.cases.error', { reason: caseErrorText(ctx, code) })] });
}

/**
 * An alderman's open questions from their own chat: "vragen" lists them (earliest answer-by first),
 * picking one shows it, the alderman writes and confirms the answer.
 */
export const staffCasesFlow: Flow = {
  name: 'staff-cases',
  // It starts with a list, which is safe to ask for twice.
  repeatable: true,
  start: 'list',
  label: 'dashboard.flow.staff-cases',
  staffOnly: true,
  triggers: [/^(vragen|open vragen|mijn open vragen|questions)$/],
  commands: ['vragen', 'questions'],
  menu: { order: 5, label: 'staff.menu.cases' },
  steps: {
    list: {
      enter: () => ({ call: call('cases.assigned', {}, listed) }),
    },
    pick: {
      label: 'dashboard.flow_step.staff-cases.pick',
      // A list only looked at: another request ("status RSW-…", "afspraken") is taken at once, with no
      // "Wilt u daarmee stoppen?" about the list.
      tentative: true,
      relabel: (ctx, choice) => (choice.id === 'menu' ? ctx.t('core.back_to_menu') : undefined),
      answer: (ctx, input) => {
        const reference = input.choice?.id.startsWith('case:')
          ? input.choice.id.slice(5)
          : findReference(input.text);
        if (!reference) return toMenu();
        return { data: { reference }, call: call('cases.staff-find', { reference }, shown) };
      },
    },
    /** A case looked up by its reference: at the menu, or with "status"; `data.reference` or the message's. */
    open: {
      enter: (ctx) => {
        const reference = ctx.data.reference ?? findReference(ctx.input?.text ?? '');
        if (!reference) return { goto: 'list' };
        const find = call('cases.staff-find', { reference }, (c, r) => opened(c, r, reference));
        return { data: { reference }, call: find };
      },
    },
    write: {
      label: 'dashboard.flow_step.staff-cases.write',
      freeText: true,
      answer: (ctx, input) => ({
        data: { answer: input.text },
        say: [{ text: ctx.t('staff.cases.confirm', { text: input.text }), choices: confirmChoices(ctx) }],
        goto: 'confirm',
      }),
    },
    confirm: {
      label: 'dashboard.flow_step.staff-cases.confirm',
      relabel: (ctx, choice) => confirmChoices(ctx).find((c) => c.id === choice.id)?.label,
      answer: (ctx, input) => {
        if (input.choice?.id === 'info') {
          const question = ctx.data.answer ?? '';
          const args = { reference: ctx.data.reference ?? '', question };
          return { call: call('cases.staff-request-info', args, (c, r) => deliverQuestion(c, r, question)) };
        }
        const yes = yesOrNo(input);
        if (yes === false) return { say: [ctx.t('staff.cases.write_again')], goto: 'write' };
        if (yes !== true)
          return {
            say: [
              {
                text: ctx.t('staff.cases.confirm', { text: ctx.data.answer ?? '' }),
                choices: ctx.state.choices ?? [],
              },
            ],
          };
        const args = { reference: ctx.data.reference ?? '', text: ctx.data.answer ?? '' };
        return { call: call('cases.answer', args, (c, r) => deliverAnswer(c, r, args.reference)) };
      },
    },
  },
};

/** "antwoord RSW-2026-000042 <tekst>": answers at once. Refused to anyone who is not linked staff. */
export const staffAnswerFlow: Flow = {
  name: 'staff-answer',
  start: 'send',
  title: 'staff.title.answer',
  label: 'dashboard.flow.staff-answer',
  steps: {
    send: {
      enter: (ctx) => {
        if (!ctx.staff) return toMenu({ say: [ctx.t('staff.only')] });
        const rest = COMMAND_THEN_REST.exec(ctx.input?.text.trim() ?? '')?.[2] ?? '';
        const parts = REFERENCE_THEN_TEXT.exec(rest);
        const reference = findReference(parts?.[1] ?? rest);
        const text = parts?.[2]?.trim() ?? '';
        if (!reference)
          return toMenu({ say: [ctx.t('staff.cases.usage', { example: exampleReference(ctx) })] });
        // "antwoord RSW-2026-000042" alone: open it, as picking it from the list does.
        if (!text) return { data: { reference }, call: call('cases.staff-find', { reference }, shown) };
        return { call: call('cases.answer', { reference, text }, (c, r) => deliverAnswer(c, r, reference)) };
      },
    },
  },
};

export const staffAnswerWord: GlobalWord = {
  name: 'staff-answer',
  // Only with a reference after it, so an answer that starts with the word "Antwoord" stays an answer;
  // the word with a typo forgiven ("antwood", "antwort"), as for the words residents type.
  match: (input) => {
    const first = /^([a-z]+):?\s+[a-z]{2,5}[\s-]*\d{4}[\s-]*\d{1,6}\b/.exec(input.normalized)?.[1];
    return !input.choice && first !== undefined && sameWord(first, 'antwoord');
  },
  handle: () => ({ goto: { flow: 'staff-answer', step: 'send' } }),
};
