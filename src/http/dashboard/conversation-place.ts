import type { ConversationRecord } from '../../ports/conversation-search.js';
import { isTextKey, type TextKey, type Translate } from '../../i18n/translator.js';

/** What the dashboard reads of a flow: its names for staff and its steps' (`Flow` in the engine). */
export interface LabelledFlow {
  name: string;
  label?: TextKey;
  menu?: { label: TextKey };
  title?: TextKey;
  steps: Record<string, { label?: TextKey }>;
}

/** A flow's label for staff and a step's, when they have one. */
export interface FlowLabels {
  flow(flow: string): TextKey | undefined;
  step(flow: string, step: string): TextKey | undefined;
}

/**
 * The labels of the conversation's flows: a flow's own `label`, else (a flow a municipality added
 * without one) its menu label or title; a step's `label`.
 */
export function flowLabels(flows: readonly LabelledFlow[]): FlowLabels {
  const byName = new Map(flows.map((f) => [f.name, f]));
  return {
    flow: (name) => {
      const flow = byName.get(name);
      return flow?.label ?? flow?.menu?.label ?? flow?.title;
    },
    step: (name, step) => byName.get(name)?.steps[step]?.label,
  };
}

/** No flow has a label: every place is "Bezig met een vraag". */
export const noFlowLabels: FlowLabels = { flow: () => undefined, step: () => undefined };

/** Where a conversation is, in an operator's words, and the stored value for support. */
export interface PlaceWords {
  mode: string;
  /** Where in the conversation the chatbot is; null when the chatbot is not the one answering. */
  at: string | null;
  /** What the resident is doing there ("Wacht op een postcode"); null when no step says more. */
  step: string | null;
  /** The stored mode, the flows it goes back to and flow / step ("bot · book › district / ask"). */
  raw: string;
}

/**
 * The chatbot's stored mode and step in words: "Met een medewerker", "Afspraak maken met de
 * wethouder", named by the first flow of the conversation's stack with a label, and the step
 * ("Wacht op een postcode") by the current step's label, else by the current flow's label when it
 * is another flow than the one that names the place (a stop question in the middle of a booking).
 * `holder` names the operator who holds a resident in 'human' mode (null: they wait).
 * A flow without any label is "Bezig met een vraag": a step name means nothing to staff.
 */
export function placeWords(
  bot: Pick<NonNullable<ConversationRecord['bot']>, 'mode' | 'flow' | 'step' | 'outer'>,
  t: Translate,
  labels: FlowLabels,
  holder: string | null,
): PlaceWords {
  const mode = bot.mode === 'human' && holder === null ? 'waiting' : bot.mode;
  const modeKey = `dashboard.conversation.mode.${mode}`;
  const raw = bot.flow
    ? `${bot.mode} · ${[...bot.outer, `${bot.flow} / ${bot.step ?? ''}`].join(' › ')}`
    : bot.mode;
  // Which operator has the resident: a colleague who looks for them knows whom to ask.
  if (mode === 'human' && holder !== null)
    return { mode: t('dashboard.conversation.mode.human_by', { name: holder }), at: null, step: null, raw };
  if (bot.mode !== 'bot')
    return { mode: isTextKey(modeKey) ? t(modeKey) : bot.mode, at: null, step: null, raw };
  // The flow the resident started names the place: "afspraak" that first asks the district is booking.
  const naming = [...bot.outer, bot.flow].find(
    (flow): flow is string => !!flow && flow !== 'menu' && labels.flow(flow) !== undefined,
  );
  const title = naming ? labels.flow(naming) : undefined;
  const at = title
    ? t(title)
    : !bot.flow || bot.flow === 'menu'
      ? t('dashboard.conversation.at_menu')
      : t('dashboard.conversation.at_other');
  const current = bot.flow && bot.flow !== 'menu' ? bot.flow : null;
  const stepKey =
    current && bot.step
      ? (labels.step(current, bot.step) ?? (current !== naming ? labels.flow(current) : undefined))
      : undefined;
  return { mode: t('dashboard.conversation.mode.bot'), at, step: stepKey ? t(stepKey) : null, raw };
}

/** The language the chatbot writes in, in words ("Engels"); null when the state does not say. */
export function languageWords(bot: ConversationRecord['bot'], t: Translate): string | null {
  const key = `dashboard.conversation.lang.${bot?.lang ?? ''}`;
  return isTextKey(key) ? t(key) : null;
}
