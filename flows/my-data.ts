import type { ServiceResult } from '../src/ports/services.js';
import type { SubscriptionView } from '../src/features/participation/services.js';
import { call, type Flow, type StepContext, type Transition } from './types.js';
import type { CaseView } from '../src/features/cases/views.js';
import type { PrivacyRequestType } from '../src/features/cases/services.js';
import { askAgain, toMenu, yesNo, yesOrNo } from './common.js';
import { caseErrorText, dateText, districtName, retentionTerms } from './format.js';
import { subscriptionLines } from './participation.js';

/** The offer to send the request to the privacy team, with a yes that sends and a no. */
function offer(ctx: StepContext, type: PrivacyRequestType) {
  return {
    text: ctx.t(type === 'access' ? 'privacy.offer_access' : 'privacy.offer_erasure'),
    choices: yesNo(ctx, 'privacy.send_yes', 'privacy.send_no', true),
  };
}

/** What is kept, the remembered district, the district news they said yes to, and the offer. */
function shown(ctx: StepContext, result: ServiceResult<SubscriptionView[]>): Transition {
  const district = ctx.state.profile.districtId;
  const subs = result.ok ? result.value : [];
  return {
    data: { privacyRequest: 'access' },
    goto: 'send',
    say: [
      ctx.t('privacy.my_data', retentionTerms(ctx)),
      district
        ? ctx.t('privacy.my_district', { district: districtName(ctx, district) })
        : ctx.t('privacy.no_district'),
      ...(subs.length ? [ctx.t('privacy.my_updates', { list: subscriptionLines(ctx, subs) })] : []),
    ],
  };
}

/** The request is a case for the privacy team now (or was one already): its reference and date. */
function requested(
  ctx: StepContext,
  result: ServiceResult<{ case: CaseView; existing: boolean }>,
): Transition {
  if (!result.ok) return toMenu({ say: [caseErrorText(ctx, result.code)] });
  const { case: c, existing } = result.value;
  const vars = { reference: c.reference, date: dateText(ctx, c.answerBy) };
  if (existing) return toMenu({ say: [ctx.t('privacy.request_existing', vars)] });
  return toMenu({
    say: [ctx.t('privacy.request_created', vars)],
    effects: [{ type: 'schedule', name: 'case.route', data: { caseId: c.id }, jobId: `case-route-${c.id}` }],
  });
}

/**
 * The question shared by both flows: on a clear yes the request goes to the privacy team as a case
 * (the resident is this chat identity); on no nothing is sent; anything else asks again.
 */
const send: Flow['steps'][string] = {
  label: 'dashboard.flow_step.privacy.send',
  // The copy's offer says "typ 'verwijder mijn gegevens'" for erasure: those words are an answer here.
  reads: ['erase-data'],
  enter: (ctx) => ({ say: [offer(ctx, ctx.data.privacyRequest ?? 'access')] }),
  answer: (ctx, input): Transition => {
    const type = ctx.data.privacyRequest ?? 'access';
    // Asked to type it, they did: on to erasure, not "U bent bezig met … Wilt u daarmee stoppen?".
    if (type === 'access' && input.intent?.intent === 'erase-data')
      return { goto: { flow: 'erase-data', step: 'show' } };
    const yes = yesOrNo(input);
    if (yes === false)
      return toMenu({ say: [ctx.t('privacy.request_not_sent', { url: ctx.municipality.privacy.url })] });
    if (yes !== true) return askAgain(ctx, offer(ctx, type).text);
    const firstName = ctx.input?.firstName ?? ctx.state.profile.firstName;
    const args = {
      type,
      text: ctx.t(type === 'access' ? 'privacy.case_text_access' : 'privacy.case_text_erasure'),
      language: ctx.lang,
      ...(firstName ? { firstName } : {}),
    };
    return { call: call('cases.privacy-request', args, requested) };
  },
};

/**
 * "mijn gegevens": what is kept about this resident and for how long, in short sentences, then the
 * offer to ask the privacy team for a copy (AVG art. 15). A yes registers the request as a case; the
 * chat itself shows or deletes nothing more.
 */
export const myDataFlow: Flow = {
  name: 'my-data',
  start: 'show',
  label: 'dashboard.flow.my-data',
  title: 'privacy.title_my_data',
  intents: ['my-data'],
  steps: {
    show: {
      // The district news they said yes to, with the day (issue 17: consent shown in 'mijn gegevens').
      enter: () => ({ call: call('participation.mine', {}, shown) }),
    },
    send,
  },
};

/**
 * "verwijder mijn gegevens": says honestly what erasure does to messages, open questions and
 * appointments, then offers to send the request (AVG art. 17) to the privacy team as a case. The
 * chat alone deletes nothing: the privacy team checks the request and erases.
 */
export const eraseDataFlow: Flow = {
  name: 'erase-data',
  start: 'show',
  label: 'dashboard.flow.erase-data',
  title: 'privacy.title_erase',
  intents: ['erase-data'],
  steps: {
    show: {
      enter: (ctx) => ({
        data: { privacyRequest: 'erasure' },
        goto: 'send',
        say: [ctx.t('privacy.erase_what')],
      }),
    },
    send,
  },
};

/** "vergeet mijn wijk": withdraws the consent to remember the district, after a clear yes. */
export const forgetDistrictFlow: Flow = {
  name: 'forget-district',
  title: 'privacy.title_forget_district',
  start: 'confirm',
  label: 'dashboard.flow.forget-district',
  intents: ['forget-district'],
  steps: {
    confirm: {
      label: 'dashboard.flow_step.forget-district.confirm',
      enter: (ctx) => {
        const district = ctx.state.profile.districtId;
        // Not remembered; one looked up in this visit is forgotten at once as well.
        if (!district)
          return toMenu({ say: [ctx.t('privacy.no_district')], session: { districtId: undefined } });
        return { say: [question(ctx, district)] };
      },
      answer: (ctx, input): Transition => {
        const yes = yesOrNo(input);
        if (yes === true)
          return toMenu({
            say: [ctx.t('privacy.district_forgotten')],
            profile: { districtId: undefined, districtConsentAt: undefined },
            session: { districtId: undefined },
          });
        if (yes === false) return toMenu({ say: [ctx.t('privacy.district_kept')] });
        return askAgain(ctx, question(ctx, ctx.state.profile.districtId ?? '').text);
      },
    },
  },
};

function question(ctx: StepContext, district: string) {
  return {
    text: ctx.t('privacy.forget_district', { district: districtName(ctx, district) }),
    choices: yesNo(ctx, 'privacy.forget_yes', 'privacy.forget_no', true),
  };
}
