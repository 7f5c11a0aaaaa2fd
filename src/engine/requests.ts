import { languages, translator, type Texts } from '../i18n/translator.js';
import type { Flow, FlowTypes, UserInput } from './flow.js';
import { normalize } from './input.js';
import type { ConversationState } from './state.js';

/** How sure the understanding must be that the whole message is the other flow's intent. */
const REQUEST_CONFIDENCE = 0.9;
/** Words from which a message that is wholly a flow's intent is a request sentence, not a fragment. */
const REQUEST_WORDS = 4;

/**
 * At a step that takes free text (a question, a booking's topic), the flow a message asks for
 * clearly enough to offer it ("Wilt u daarmee stoppen?") instead of keeping it as text: the whole
 * message is that flow's intent, and it is either that flow's menu choice typed ("mijn vragen") or
 * a sentence that asks for it ("ik wil toch liever een vraag stellen"). A shorter message that only
 * names a thing ("mijn wijk", "over mijn vraag", "afspraak") is the resident's own words: a topic,
 * or the first part of a question written in pieces. Never the flows underway, nor in staff flows,
 * where what an alderman writes to a resident often asks for an appointment.
 */
export function requestedFlow<T extends FlowTypes>(
  flows: readonly Flow<T>[],
  texts: Texts,
  state: ConversationState,
  input: UserInput,
): Flow<T> | undefined {
  const reading = input.intent;
  if (!reading?.whole || reading.confidence < REQUEST_CONFIDENCE) return undefined;
  const underway = [state.at?.flow, ...state.stack.map((s) => s.flow)];
  if (flows.some((f) => f.staffOnly && underway.includes(f.name))) return undefined;
  const flow = flows.find(
    (f) => !f.staffOnly && !underway.includes(f.name) && f.intents?.includes(reading.intent) === true,
  );
  if (!flow) return undefined;
  const sentence = input.normalized.split(' ').length >= REQUEST_WORDS;
  return sentence || menuChoiceTyped(flow, texts, input) ? flow : undefined;
}

/** The message is the flow's menu label, in either language ("Mijn vragen", "my questions"). */
function menuChoiceTyped<T extends FlowTypes>(flow: Flow<T>, texts: Texts, input: UserInput): boolean {
  const label = flow.menu?.label;
  if (!label) return false;
  return languages.some((lang) => normalize(translator(texts, lang)(label)) === input.normalized);
}
