import type { ServiceResult } from '../src/ports/services.js';
import type { SubscriptionView } from '../src/features/participation/services.js';
import { call, type Flow, type StepContext, type Transition } from './types.js';
import { askAgain, toMenu, yesNo, yesOrNo } from './common.js';
import { districtName } from './format.js';
import { subscriptionLines } from './participation.js';

/** The retention terms and the privacy page, as the privacy notice gives them (data/retention.json). */
function terms(ctx: StepContext) {
  const m = ctx.municipality;
  return {
    chatDays: m.retention.messages.days,
    caseDays: m.retention.cases.days,
    bookingDays: m.retention.bookings.days,
    url: m.privacy.url,
  };
}

/** What is kept, the remembered district, the district news they said yes to, and where to ask. */
function shown(ctx: StepContext, result: ServiceResult<SubscriptionView[]>): Transition {
  const district = ctx.state.profile.districtId;
  const subs = result.ok ? result.value : [];
  return toMenu({
    say: [
      ctx.t('privacy.my_data', terms(ctx)),
      district
        ? ctx.t('privacy.my_district', { district: districtName(ctx, district) })
        : ctx.t('privacy.no_district'),
      ...(subs.length ? [ctx.t('privacy.my_updates', { list: subscriptionLines(ctx, subs) })] : []),
      ctx.t('privacy.how_to_ask', terms(ctx)),
    ],
  });
}

/**
 * "mijn gegevens": what is kept about this resident and for how long, in short sentences, and how
 * to ask for a copy or for erasure (through the municipality's privacy page; the chat deletes nothing).
 */
export const myDataFlow: Flow = {
  name: 'my-data',
  start: 'show',
  intents: ['my-data'],
  steps: {
    show: {
      // The district news they said yes to, with the day (issue 17: consent shown in 'mijn gegevens').
      enter: () => ({ call: call('participation.mine', {}, shown) }),
    },
  },
};

/**
 * "verwijder mijn gegevens": says honestly what erasure does to messages, open questions and
 * appointments, and where to ask for it. The chat alone deletes nothing: the privacy team checks
 * the request and erases with `npx spreekuur privacy erase`.
 */
export const eraseDataFlow: Flow = {
  name: 'erase-data',
  start: 'show',
  intents: ['erase-data'],
  steps: {
    show: {
      enter: (ctx) => toMenu({ say: [ctx.t('privacy.erase_what'), ctx.t('privacy.how_to_ask', terms(ctx))] }),
    },
  },
};

/** "vergeet mijn wijk": withdraws the consent to remember the district, after a clear yes. */
export const forgetDistrictFlow: Flow = {
  name: 'forget-district',
  start: 'confirm',
  intents: ['forget-district'],
  steps: {
    confirm: {
      enter: (ctx) => {
        const district = ctx.state.profile.districtId;
        if (!district) return toMenu({ say: [ctx.t('privacy.no_district')] });
        return { say: [question(ctx, district)] };
      },
      answer: (ctx, input): Transition => {
        const yes = yesOrNo(input);
        if (yes === true)
          return toMenu({
            say: [ctx.t('privacy.district_forgotten')],
            profile: { districtId: undefined, districtConsentAt: undefined },
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
