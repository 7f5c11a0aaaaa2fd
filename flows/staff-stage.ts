import type { ServiceResult } from '../src/ports/services.js';
import type { CaseView } from '../src/features/cases/views.js';
import { findReference } from '../src/features/cases/reference.js';
import { addressOfKey } from '../src/shared/address.js';
import { call, eventLater, type Flow, type GlobalWord, type StepContext, type Transition } from './types.js';
import { toMenu } from './common.js';
import { caseErrorText, exampleReference } from './format.js';

/** The words an alderman may type for each stage, Dutch and English; the first that fits wins. */
const STAGE_WORDS: [stage: string, words: RegExp][] = [
  ['not_possible', /^(kan niet|kan helaas niet|afgewezen|afwijzen|not possible|declined)\b/i],
  ['reviewing', /^(wordt bekeken|bekeken|bekijken|in behandeling|reviewing|being looked at)\b/i],
  ['invited', /^(uitgenodigd|uitnodigen|gesprek|invited|invite)\b/i],
  ['supported', /^(gesteund|steunen|steun|supported|support)\b/i],
];

const COMMAND = /^stand\s+([A-Za-z]{2,5}[\s-]*\d{4}[\s-]*\d{1,6})\s+(\S[\s\S]*)$/i;

/** "stand RSW-2026-000042 kan niet: reden" read into a reference, a stage and the words after it. */
export function readStageCommand(text: string): { reference: string; stage: string; reason: string } | null {
  const parts = COMMAND.exec(text.trim());
  const reference = parts?.[1] ? findReference(parts[1]) : null;
  const rest = parts?.[2]?.trim() ?? '';
  if (!reference) return null;
  for (const [stage, words] of STAGE_WORDS) {
    const found = words.exec(rest);
    if (found) return { reference, stage, reason: rest.slice(found[0].length).replace(/^[\s:,.-]+/, '') };
  }
  return null;
}

/** The resident hears the new stage through their own conversation, on the channel they used. */
function told(ctx: StepContext, reason: string, result: ServiceResult<CaseView>): Transition {
  if (!result.ok) {
    if (result.code === 'staff.only') return toMenu({ say: [ctx.t('staff.only')] });
    if (result.code === 'staff.not_yours' || result.code === 'case.not_found')
      return toMenu({ say: [ctx.t('staff.cases.not_yours')] });
    if (result.code === 'case.reason_required')
      return toMenu({ say: [ctx.t('staff.stage.reason_required', { example: exampleReference(ctx) })] });
    if (result.code === 'case.not_proposal') return toMenu({ say: [ctx.t('staff.stage.not_proposal')] });
    return toMenu({ say: [ctx.t('staff.cases.error', { reason: caseErrorText(ctx, result.code) })] });
  }
  const c = result.value;
  const eventId = `case-proposal-stage:${c.id}:${c.stage ?? ''}:${ctx.now.getTime()}`;
  const payload = { case: c, reason: reason || null };
  return toMenu({
    say: [
      ctx.t('staff.stage.sent', {
        reference: c.reference,
        stage: ctx.t(`proposal.stage.${c.stage ?? 'received'}`),
      }),
    ],
    effects: [
      eventLater(addressOfKey(c.residentKey), 'case.proposal_stage', payload, { eventId, jobId: eventId }),
    ],
  });
}

/**
 * "stand RSW-2026-000042 gesteund", "stand … kan niet: <reden>": a linked alderman sets the stage of
 * a proposal of theirs from their own chat, as in the dashboard. Refused to anyone not linked.
 */
export const staffStageFlow: Flow = {
  name: 'staff-stage',
  start: 'send',
  title: 'staff.title.stage',
  label: 'dashboard.flow.staff-stage',
  steps: {
    send: {
      enter: (ctx) => {
        if (!ctx.staff) {
          // A resident who types "stand <their reference>" means its status.
          const reference = findReference(ctx.input?.text ?? '');
          if (reference) return { data: { reference }, goto: { flow: 'my-questions', step: 'one' } };
          return toMenu({ say: [ctx.t('staff.only')] });
        }
        const command = readStageCommand(ctx.input?.text ?? '');
        if (!command)
          return toMenu({ say: [ctx.t('staff.stage.usage', { example: exampleReference(ctx) })] });
        return { call: call('cases.staff-stage', command, (c, result) => told(c, command.reason, result)) };
      },
    },
  },
};

export const staffStageWord: GlobalWord = {
  name: 'staff-stage',
  match: (input) => !input.choice && /^stand\s+[a-z]{2,5}[\s-]*\d{4}[\s-]*\d{1,6}\b/i.test(input.text),
  handle: () => ({ goto: { flow: 'staff-stage', step: 'send' } }),
};
