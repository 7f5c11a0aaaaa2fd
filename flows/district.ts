import type { Flow, StepContext, Transition, UserInput } from './types.js';
import type { Choice } from '../src/ports/messages.js';
import {
  formatPostcode,
  inAreas,
  lookupDistrict,
  parsePostcode,
} from '../src/features/districts/postcode.js';
import { districtNamedIn } from '../src/features/districts/district-names.js';
import { findAlderman, findDistrict } from '../src/municipality/municipality.js';
import { askAgain, finish, yesNo, yesOrNo } from './common.js';

/** A message that is only a postcode. */
const POSTCODE = /^[1-9]\d{3} ?-?[a-z]{2}$/;

function districtChoices(ctx: StepContext, ids?: readonly string[]): Choice[] {
  return ctx.municipality.districts
    .filter((d) => !ids || ids.includes(d.id))
    .map((d) => ({ id: `district:${d.id}`, label: d.name }));
}

function listChoice(ctx: StepContext): Choice[] {
  return [{ id: 'list', label: ctx.t('district.choose_from_list') }];
}

function chosenDistrict(ctx: StepContext, input: UserInput): string | undefined {
  const id = input.choice?.id.startsWith('district:') ? input.choice.id.slice('district:'.length) : undefined;
  // A district's name typed, also in a sentence ("ik woon in Rijswijk-Buiten"), or an area it lists.
  return id ?? districtNamedIn(ctx.municipality.districts, input.text);
}

/** Says which district and alderman, then asks to remember the district (once). */
function found(ctx: StepContext, districtId: string): Transition {
  const district = findDistrict(ctx.municipality, districtId);
  const alderman = findAlderman(ctx.municipality, district?.aldermanId);
  const say = ctx.t('district.found', {
    district: district?.name ?? districtId,
    alderman: alderman?.name ?? '',
  });
  // Remembered already, or not to be remembered (said so earlier in this visit): not asked again.
  const settled = ctx.state.profile.districtId === districtId || ctx.state.session?.districtId === districtId;
  if (settled) return finish(ctx, { say: [say], data: { districtId } });
  return { say: [say], data: { districtId }, goto: 'remember' };
}

/** Reads a postcode (or a district's name) and says where it leads. */
function answerPostcode(ctx: StepContext, input: UserInput): Transition {
  const postcode = parsePostcode(input.text);
  if (!postcode) {
    const named = chosenDistrict(ctx, input);
    if (named) return found(ctx, named);
    // A street and number is kindly asked for the postcode instead; how to leave is always said.
    const key = /\p{L}{3,}.*\d/u.test(input.text) ? 'district.address' : 'district.not_postcode';
    return { say: [{ text: `${ctx.t(key)}\n${ctx.t('district.leave')}`, choices: listChoice(ctx) }] };
  }
  const shown = formatPostcode(postcode);
  const result = lookupDistrict(postcode, ctx.municipality.districts);
  if (result.kind === 'found') return found(ctx, result.district.id);
  if (result.kind === 'ambiguous') {
    const ids = result.districts.map((d) => d.id);
    const text = ctx.t('district.ambiguous', { postcode: shown });
    return { say: [{ text, choices: districtChoices(ctx, ids) }], goto: 'which' };
  }
  const key = inAreas(postcode, ctx.municipality.postcodeAreas) ? 'district.not_found' : 'district.outside';
  const text = ctx.t(key, { postcode: shown, municipality: ctx.municipality.name });
  const choices = [...districtChoices(ctx), { id: 'again', label: ctx.t('district.other_postcode') }];
  return { say: [{ text, choices }], goto: 'which' };
}

/**
 * Asked from the menu or in words (not for another flow, not "Andere postcode"): a remembered
 * district is answered at once, as was promised when it was remembered.
 */
function ownQuestion(ctx: StepContext): Transition | undefined {
  const remembered = findDistrict(ctx.municipality, ctx.state.profile.districtId);
  if (!remembered || ctx.state.stack.length > 0 || ctx.data.otherPostcode) return undefined;
  const alderman = findAlderman(ctx.municipality, remembered.aldermanId);
  const vars = { district: remembered.name, alderman: alderman?.name ?? '' };
  return finish(ctx, {
    say: [`${ctx.t('district.found', vars)}\n${ctx.t('district.remembered_other')}`],
    data: { districtId: remembered.id },
  });
}

const rememberChoices = (ctx: StepContext) => yesNo(ctx, 'district.remember_yes', 'district.remember_no');

/**
 * Finds the resident's district and alderman from a postcode; forgiving about spaces and case,
 * kind about a postcode elsewhere, and asks when an area is split over districts.
 * Other flows call it (with `returnTo`) and read `data.districtId` afterwards.
 */
export const districtFlow: Flow = {
  name: 'district',
  start: 'ask',
  label: 'dashboard.flow.district',
  intents: ['district'],
  // A bare postcode is a question about the district too.
  triggers: [POSTCODE],
  menu: { order: 10, label: 'core.menu.district' },
  steps: {
    ask: {
      label: 'dashboard.flow_step.district.ask',
      enter: (ctx) => {
        if (ctx.input && POSTCODE.test(ctx.input.normalized)) return answerPostcode(ctx, ctx.input);
        return ownQuestion(ctx) ?? { say: [{ text: ctx.t('district.ask'), choices: listChoice(ctx) }] };
      },
      answer: (ctx, input) => {
        if (input.choice?.id === 'list') return { goto: 'choose' };
        // "weet ik niet", "geen idee": the list of districts, not "Dat lijkt geen postcode".
        if (input.answer === 'unsure' && !parsePostcode(input.text))
          return { say: [ctx.t('district.postcode_unknown')], goto: 'choose' };
        return answerPostcode(ctx, input);
      },
    },
    which: {
      label: 'dashboard.flow_step.district.which',
      // District names are names in every language; only "Andere postcode" is said again.
      relabel: (ctx, choice) => (choice.id === 'again' ? ctx.t('district.other_postcode') : undefined),
      answer: (ctx, input) => {
        if (input.choice?.id === 'again') return { data: { otherPostcode: true }, goto: 'ask' };
        const id = chosenDistrict(ctx, input);
        if (id) return found(ctx, id);
        if (parsePostcode(input.text)) return answerPostcode(ctx, input);
        return askAgain(ctx, ctx.t('district.choose'));
      },
    },
    choose: {
      label: 'dashboard.flow_step.district.choose',
      enter: (ctx) => ({ say: [{ text: ctx.t('district.choose'), choices: districtChoices(ctx) }] }),
      answer: (ctx, input) => {
        const id = chosenDistrict(ctx, input);
        if (id) return found(ctx, id);
        return askAgain(ctx, ctx.t('district.choose'));
      },
    },
    remember: {
      label: 'dashboard.flow_step.district.remember',
      enter: (ctx) => ({ say: [{ text: ctx.t('district.remember'), choices: rememberChoices(ctx) }] }),
      answer: (ctx, input) => {
        const yes = yesOrNo(input);
        const districtId = typeof ctx.data.districtId === 'string' ? ctx.data.districtId : undefined;
        if (yes === true)
          return finish(ctx, {
            say: [ctx.t('district.remembered')],
            profile: { districtId, districtConsentAt: ctx.now.getTime() },
          });
        // Not remembered, but kept for the rest of this visit (SessionMemory).
        if (yes === false)
          return finish(ctx, {
            say: [ctx.t('district.not_remembered')],
            ...(districtId ? { session: { districtId } } : {}),
          });
        return askAgain(ctx, ctx.t('district.remember'));
      },
    },
  },
};
