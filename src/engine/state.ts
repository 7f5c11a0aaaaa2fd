import type { Language } from '../i18n/translator.js';
import type { Address, Choice } from '../ports/messages.js';

/** Bumped when the shape of ConversationState changes; older state is migrated or reset kindly. */
export const STATE_VERSION = 2;

/** What the bot may do in a conversation. */
export type ConversationMode = 'bot' | 'human' | 'stopped' | 'live';

/** A place in a flow: the flow's name and a step's name (never a position). */
export interface StepRef {
  flow: string;
  step: string;
}

/** What we keep about a person between flows: their choices, and failed staff-link tries. */
export interface Profile {
  districtId?: string;
  /** When the resident agreed that the district is remembered (epoch ms); withdrawn by "vergeet mijn wijk". */
  districtConsentAt?: number;
  firstName?: string;
  /**
   * The language the resident chose themselves ("English", "Nederlands", the menu's button): the
   * conversation then keeps it, whatever language a message is written in, until they choose again.
   */
  language?: Language;
  linkFailures?: number;
  linkBlockedUntil?: number;
}

/**
 * What this visit found out, kept until the conversation is idle (SESSION_IDLE_MINUTES) or stopped:
 * a district looked up for a resident who did not want it remembered is not asked again a minute
 * later, and is forgotten after the visit.
 */
export interface SessionMemory {
  districtId?: string;
}

/** A live consultation between a resident and an alderman. */
export interface LiveLink {
  bookingId: string;
  reference: string;
  partner: Address;
  role: 'resident' | 'alderman';
  /** The resident's first name for the alderman, when the channel gave one. */
  name?: string;
  /** Epoch ms after which the link is stale even if no end notice came (a safety net). */
  until?: number;
  /** Set once the resident wrote during the session (no-show check). */
  residentWrote?: boolean;
}

/** The whole state of one conversation: plain, versioned JSON. */
export interface ConversationState {
  v: number;
  lang: Language;
  greeted: boolean;
  mode: ConversationMode;
  at?: StepRef;
  /** Where to go back to when the current flow is done. */
  stack: StepRef[];
  /** Data of the flow in progress; cleared when the resident goes back to the menu. */
  data: Record<string, unknown>;
  /** The choices of the last message we sent here, to read "2" or a label as an answer. */
  choices?: Choice[];
  /**
   * The question those choices answer (the text of the message that offered them), in the language
   * it was asked in: asked again when an interruption ("Wilt u daarmee stoppen?") ends at a step
   * that asks nothing on entering.
   */
  question?: { text: string; lang: Language };
  /**
   * Choices of that question shown before them (`Say.earlier`), read by a typed label or time only:
   * a number or "de eerste" counts on the list shown. Dropped once other choices are said.
   */
  earlier?: Choice[];
  profile: Profile;
  /** See SessionMemory; absent outside a visit. */
  session?: SessionMemory;
  live?: LiveLink;
  /** Messages counted in the current rate-limit window (per sender). */
  burst?: { since: number; count: number; warned?: boolean };
  /** Last text and when it came, to notice a double-tap. */
  lastText?: string;
  lastAt?: number;
  /** When an event last moved the conversation to a step that asks something (the idle clock counts from it too). */
  askedAt?: number;
  /** Messages the channel could not start a conversation with (whatsapp-web.js): said at the next message. */
  held?: string[];
}

/** A new conversation's state. */
export function initialState(lang: Language): ConversationState {
  return { v: STATE_VERSION, lang, greeted: false, mode: 'bot', stack: [], data: {}, profile: {} };
}

/**
 * Reads stored state. State of an older version keeps what is still meaningful (language, greeting,
 * opt-out, profile) and drops any half-finished flow, which may no longer exist in that form.
 */
export function restoreState(raw: unknown, lang: Language): { state: ConversationState; reset: boolean } {
  if (!isRecord(raw)) return { state: initialState(lang), reset: false };
  if (raw.v === STATE_VERSION) return { state: raw as unknown as ConversationState, reset: false };
  const fresh = initialState(raw.lang === 'en' ? 'en' : raw.lang === 'nl' ? 'nl' : lang);
  fresh.greeted = raw.greeted === true;
  if (raw.mode === 'stopped') fresh.mode = 'stopped';
  if (isRecord(raw.profile)) {
    const { districtId, firstName } = raw.profile;
    if (typeof districtId === 'string') fresh.profile.districtId = districtId;
    if (typeof raw.profile.districtConsentAt === 'number')
      fresh.profile.districtConsentAt = raw.profile.districtConsentAt;
    if (typeof firstName === 'string') fresh.profile.firstName = firstName;
  }
  return { state: fresh, reset: raw.at !== undefined || raw.flow !== undefined };
}

/**
 * A deep copy of a conversation's state, for a turn to change: the same copy as `structuredClone`
 * for what state holds (plain objects, arrays, strings, numbers, booleans, null, undefined), made
 * directly, where `structuredClone` serialises the whole state and reads it back (a tenth of the
 * turn's own CPU). Anything else a step may have put there (a Date) is copied by `structuredClone`.
 */
export function copyState(state: ConversationState): ConversationState {
  return copyPlain(state);
}

function copyPlain<V>(value: V): V {
  if (typeof value !== 'object' || value === null) {
    // A function or a symbol: `structuredClone` refuses it, as before.
    return typeof value === 'function' || typeof value === 'symbol' ? structuredClone(value) : value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value) && proto === Array.prototype) return value.map(copyPlain) as V;
  if (proto !== Object.prototype) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyPlain((value as Record<string, unknown>)[key]);
  return copy as V;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
