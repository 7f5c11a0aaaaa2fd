import { randomUUID } from 'node:crypto';
import type { FeatureDeps } from '../../ports/feature.js';
import type { EventsNotifier } from '../../ports/notifier.js';
import type { TranscriptEntry } from '../../ports/conversation-repository.js';
import type { Choice } from '../../ports/messages.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { addressOfKey } from '../../shared/address.js';
import { conversationSubject } from '../../shared/audit-subjects.js';
import { DomainError } from '../../shared/errors.js';
import { createCase, MAX_CASE_TEXT_LENGTH } from '../cases/case-service.js';
import { answerNorm } from '../cases/routing.js';
import { departmentsOf } from '../cases/staff-texts.js';
import type { Case } from '../../ports/case-repository.js';
import type { CaseJobs } from '../cases/events.js';
import type { WebcareEvents } from './events.js';

/** How many of the resident's latest messages the summary of a new case starts with. */
const SUMMARY_MESSAGES = 5;

/** What the operator filled in to turn a conversation into a case. */
export interface TakeoverCaseInput {
  topic: string;
  /** A department of the routing rules; empty: the routing rules decide, as for a question in the chat. */
  departmentId: string;
  summary: string;
  /** The form's one-time token: the same form sent twice makes one case. */
  token: string;
}

/**
 * Whether a resident's message only steered the chat (a menu choice, "medewerker", "English"),
 * given the buttons of the message it answered; such words are no part of their matter.
 */
export type Steers = (text: string, choices: readonly Choice[]) => boolean;

/**
 * The summary a new case starts with: the resident's latest messages, oldest first, as they wrote
 * them, leaving out those that only steered the chat.
 */
export function caseSummary(transcript: readonly TranscriptEntry[], steers: Steers = () => false): string {
  let buttons: readonly Choice[] = [];
  const theirs = transcript.filter((e) => {
    if (e.side === 'out') {
      buttons = e.choices ?? [];
      return false;
    }
    return e.text.trim() !== '' && !steers(e.text, buttons);
  });
  return theirs
    .slice(-SUMMARY_MESSAGES)
    .map((e) => e.text.trim())
    .join('\n')
    .slice(0, MAX_CASE_TEXT_LENGTH);
}

/** The resident's language and remembered district and first name from the conversation's stored state. */
function profileOf(state: unknown): { lang: string; districtId: string | null; firstName: string | null } {
  const s = (typeof state === 'string' ? safeJson(state) : state) as {
    lang?: unknown;
    profile?: { districtId?: unknown; firstName?: unknown };
  } | null;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    lang: s?.lang === 'en' ? 'en' : 'nl',
    districtId: text(s?.profile?.districtId),
    firstName: text(s?.profile?.firstName),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Makes a case of a taken-over conversation with the case service the chat's questions use: a
 * reference and an answer-by date by the municipality's norm, the resident's district, language and
 * channel; in the same transaction the takeover is renewed (only its operator may) and the audit
 * line written. Routing is left to the caller (the queue), as for a question asked in the chat; the
 * chosen department is kept in the case's history, where the sweep finds it if the queue lost the job.
 */
export async function caseFromTakeover(
  deps: Pick<FeatureDeps, 'municipality' | 'pseudonym'>,
  r: Repositories,
  at: { operatorId: string; key: string; now: Date },
  input: TakeoverCaseInput,
): Promise<Case> {
  const m = deps.municipality;
  if (!m.cases.topics.some((t) => t.id === input.topic)) throw new DomainError('webcare.unknown_topic');
  if (input.departmentId && !departmentsOf(m.cases.routing).some((d) => d.id === input.departmentId))
    throw new DomainError('webcare.unknown_department');
  if (!(await r.webcare.touch(at.key, at.operatorId, at.now))) throw new DomainError('webcare.not_yours');
  // The same form sent again (a double click, a retry) gives the case it made, audited once.
  const idempotencyKey = `webcare:${at.key}:${input.token.trim().slice(0, 100) || randomUUID()}`;
  const earlier = await r.cases.findByIdempotencyKey(idempotencyKey);
  if (earlier) return earlier;
  const conversation = await r.conversations.lockConversation(at.key);
  const profile = profileOf(conversation?.state);
  const address = addressOfKey(at.key);
  const c = await createCase(r, {
    residentKey: at.key,
    residentName: profile.firstName,
    channel: address.channel,
    language: profile.lang,
    districtId: profile.districtId,
    topic: input.topic,
    text: input.summary,
    idempotencyKey,
    createdBy: `staff:${at.operatorId}`,
    ...(input.departmentId ? { departmentId: input.departmentId } : {}),
    now: at.now,
    prefix: m.referencePrefix,
    norm: answerNorm(m.cases.routing, 'question'),
    holidays: m.cases.holidays,
    timeZone: m.timeZone,
  });
  await r.audit.append(
    {
      actor: `staff:${at.operatorId}`,
      action: 'webcare.case',
      subject: conversationSubject(deps.pseudonym, at.key),
      detail: { reference: c.reference, topic: c.topic, department: input.departmentId || null },
    },
    at.now,
  );
  return c;
}

/** What the form to make a case shows: the summary to start from, the choices, the cases made before. */
export interface TakeoverCaseForm {
  summary: string;
  topics: { id: string; label: { nl: string; en: string } }[];
  departments: { id: string; name: string }[];
  /** Cases of this conversation (resident), newest last. */
  cases: { reference: string; topic: string; status: string }[];
  /** A fresh one-time token for the form. */
  token: string;
}

/** Turning a taken-over conversation into a case (the webcare page's form). */
export function webcareCaseCommands(
  deps: Pick<FeatureDeps, 'uow' | 'clock' | 'notifier' | 'queue' | 'municipality' | 'pseudonym'>,
) {
  const m = deps.municipality;
  const notifier: EventsNotifier<WebcareEvents> = deps.notifier;
  return {
    /** The form's content for a conversation, from its transcript and the municipality's data. */
    async caseForm(
      key: string,
      transcript: readonly TranscriptEntry[],
      steers?: Steers,
    ): Promise<TakeoverCaseForm> {
      const cases = await deps.uow.run((r) => r.cases.listForResident(key));
      return {
        summary: caseSummary(transcript, steers),
        topics: m.cases.topics.map((t) => ({ id: t.id, label: t.label })),
        departments: departmentsOf(m.cases.routing).map((d) => ({ id: d.id, name: d.name })),
        cases: cases.map((c) => ({ reference: c.reference, topic: c.topic, status: c.status })),
        token: randomUUID(),
      };
    },

    /**
     * Makes the case, puts its routing on the queue (the chosen department, else the rules) and
     * tells the resident its reference and answer-by date in their chat.
     */
    async makeCase(operator: { id: string }, key: string, input: TakeoverCaseInput): Promise<Case> {
      const now = deps.clock.now();
      const c = await deps.uow.transaction((r) =>
        caseFromTakeover(deps, r, { operatorId: operator.id, key, now }, input),
      );
      const route: CaseJobs['case.route'] = {
        caseId: c.id,
        ...(input.departmentId ? { departmentId: input.departmentId } : {}),
      };
      await deps.queue.enqueue('case.route', route, { jobId: `case-route-${c.id}` });
      await notifier.notify(
        addressOfKey(key),
        'webcare.case_made',
        { reference: c.reference, answerBy: c.answerBy.getTime() },
        `webcare-case:${c.id}`,
      );
      return c;
    },
  };
}

/** The webcare case commands, as the dashboard uses them. */
export type WebcareCaseCommands = ReturnType<typeof webcareCaseCommands>;
