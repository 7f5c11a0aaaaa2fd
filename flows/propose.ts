import { call, type EventHandler, type Flow, type StepContext, type Transition } from './types.js';
import { MAX_CASE_TEXT_LENGTH } from '../src/features/cases/case-service.js';
import { MAX_PROPOSAL_FIELD_LENGTH } from '../src/features/cases/case-service.js';
import type { CaseView } from '../src/features/cases/views.js';
import type { ServiceResult } from '../src/ports/services.js';
import type { TextKey } from '../src/i18n/translator.js';
import { askAgain, knownDistrictId, toMenu } from './common.js';
import { caseErrorText, dateText } from './format.js';

type Field = 'what' | 'where' | 'who' | 'help';

/** The questions in order, each with the step after it. */
const NEXT: Record<Field, Field | 'place'> = { what: 'where', where: 'who', who: 'help', help: 'place' };

function draft(ctx: StepContext) {
  return ctx.data.proposal ?? {};
}

/** A step that asks one thing and keeps the answer (within its length) before the next one. */
function ask(field: Field, question: TextKey, intro?: TextKey): Flow['steps'][string] {
  const max = field === 'what' ? MAX_CASE_TEXT_LENGTH : MAX_PROPOSAL_FIELD_LENGTH;
  return {
    label: `dashboard.flow_step.propose.${field}`,
    freeText: true,
    enter: (ctx) => ({
      ...(field === 'what' ? { data: { proposal: {} } } : {}),
      say: [...(intro ? [ctx.t(intro)] : []), ctx.t(question)],
    }),
    answer: (ctx, input) => {
      const text = input.text.trim();
      if (!text) return { say: [ctx.t(question)] };
      if ([...text].length > max) return { say: [ctx.t('proposal.too_long', { max })] };
      const data = { proposal: { ...draft(ctx), [field]: text } };
      const next = NEXT[field];
      return next === 'place' ? { data, ...afterQuestions(ctx) } : { data, goto: next };
    },
  };
}

/** After the four questions: the district (asked only when unknown), then the summary. */
function afterQuestions(ctx: StepContext): Transition {
  const known = knownDistrictId(ctx);
  return known ? { goto: 'confirm' } : { goto: { flow: 'district', step: 'ask' }, returnTo: 'confirm' };
}

/** Everything the resident said, as the confirmation shows it. */
function summary(ctx: StepContext): string {
  const p = draft(ctx);
  return ctx.t('proposal.confirm', {
    what: p.what ?? '',
    where: p.where ?? '',
    who: p.who ?? '',
    help: p.help ?? '',
  });
}

/**
 * "Ik heb een idee" / "voorstel": a resident's own plan, asked in four short questions (what,
 * where, who takes part, what help), shown once more and sent only on a clear yes. It becomes a
 * case of the kind "proposal" with its own answer-by norm, routed like every case.
 */
export const proposeFlow: Flow = {
  name: 'propose',
  start: 'what',
  label: 'dashboard.flow.propose',
  title: 'proposal.title',
  intents: ['propose'],
  steps: {
    what: ask('what', 'proposal.what', 'proposal.intro'),
    where: ask('where', 'proposal.where'),
    who: ask('who', 'proposal.who'),
    help: ask('help', 'proposal.help'),
    confirm: {
      label: 'dashboard.flow_step.propose.confirm',
      enter: (ctx) => {
        const choices = [
          { id: 'send', label: ctx.t('proposal.send'), means: 'yes' as const, acts: true },
          { id: 'restart', label: ctx.t('proposal.restart') },
          { id: 'cancel', label: ctx.t('proposal.cancel'), means: 'no' as const },
        ];
        return { say: [{ text: summary(ctx), choices }] };
      },
      answer: (ctx, input) => {
        const id = input.choice?.id;
        if (id === 'restart') return { goto: 'what' };
        if (id === 'cancel') return toMenu({ say: [ctx.t('proposal.cancelled')] });
        // Only a clear yes sends; anything unclear asks again.
        if (id !== 'send') return askAgain(ctx, summary(ctx));
        const p = draft(ctx);
        const firstName = ctx.input?.firstName ?? ctx.state.profile.firstName;
        const args = {
          what: p.what ?? '',
          where: p.where ?? '',
          who: p.who ?? '',
          help: p.help ?? '',
          districtId: knownDistrictId(ctx) ?? null,
          language: ctx.lang,
          ...(firstName ? { firstName } : {}),
        };
        return { call: call('cases.propose', args, created) };
      },
    },
  },
};

/** The proposal is a case now: its reference and the date of the first reaction; routing goes on the queue. */
function created(ctx: StepContext, result: ServiceResult<CaseView>): Transition {
  if (!result.ok) return toMenu({ say: [caseErrorText(ctx, result.code)] });
  const c = result.value;
  return toMenu({
    say: [
      ctx.t('proposal.created', { reference: c.reference, date: dateText(ctx, c.answerBy) }),
      ctx.t('proposal.created_followup', { reference: c.reference }),
    ],
    effects: [{ type: 'schedule', name: 'case.route', data: { caseId: c.id }, jobId: `case-route-${c.id}` }],
  });
}

/** Staff changed the proposal's stage: the resident hears what it means, with staff's words when given. */
export const proposalStage: EventHandler<'case.proposal_stage'> = (ctx, payload) => {
  const c = payload.case;
  const stage = c.stage ?? 'received';
  const reason = payload.reason ?? '';
  const told = ctx.t(`proposal.told.${stage}`, { reference: c.reference, reason });
  // "Not possible" carries its reason in the sentence; other stages add staff's words after it.
  const note = reason && stage !== 'not_possible' ? [ctx.t('proposal.told.note', { reason })] : [];
  return { say: [told, ...note] };
};
