import type { Repositories } from '../../ports/unit-of-work.js';
import { defineServices, type ServiceEnvironment } from '../../ports/services.js';
import { conversationKey } from '../../shared/address.js';
import { caseSubject } from '../../shared/audit-subjects.js';
import { DomainError } from '../../shared/errors.js';
import {
  answerCase,
  casesForResident,
  closeCase,
  createCase,
  findForResident,
  rateCase,
  reopenCase,
} from './case-service.js';
import { normalizeReference } from './reference.js';
import { addInfo, assignCase, requestInfo } from './case-actions.js';
import { routingDepartments } from '../../municipality/case-data.js';
import { isSettableStage, setProposalStage } from './proposals.js';
import { caseThread, caseView, type StaffCaseView } from './views.js';
import { answerMonths, answerNorm } from './routing.js';
import { INBOX_OPEN_STATUSES } from './case-status.js';
import type { CaseKind } from '../../ports/case-repository.js';

type CaseRepos = Pick<Repositories, 'cases' | 'audit'>;

/** The resident's own case, or the same "not found" as for a case that does not exist. */
async function ownCase(repos: CaseRepos, env: ServiceEnvironment, caseId: string) {
  const c = await repos.cases.findById(caseId);
  if (!c || c.residentKey !== conversationKey(env.address)) throw new DomainError('case.not_found');
  return c;
}

/** The case with that reference if it is assigned to the linked alderman asking. */
async function staffCase(repos: CaseRepos, env: ServiceEnvironment, reference: string) {
  const aldermanId = env.staff?.aldermanId;
  if (!aldermanId) throw new DomainError('staff.only');
  const canonical = normalizeReference(reference);
  const c = canonical ? await repos.cases.findByReference(canonical) : null;
  if (!c || c.assignee?.type !== 'alderman' || c.assignee.id !== aldermanId)
    throw new DomainError('staff.not_yours');
  return c;
}

/** The answer-by rules of the municipality in the turn, for a kind of case. */
function answerRules(env: ServiceEnvironment, kind: CaseKind = 'question') {
  const m = env.municipality;
  const months = answerMonths(m.cases.routing, kind);
  return {
    norm: answerNorm(m.cases.routing, kind),
    ...(months !== undefined ? { months } : {}),
    holidays: m.cases.holidays,
    timeZone: m.timeZone,
  };
}

/** The topic every proposal has: proposals are told apart by their kind, not by a topic. */
export const PROPOSAL_TOPIC = 'voorstel';

/** What a resident asks of their personal data: a copy (AVG art. 15) or erasure (art. 17). */
export type PrivacyRequestType = 'access' | 'erasure';

/** The topic of a privacy request case, per type: it tells the privacy team what is asked. */
export const PRIVACY_TOPICS: Record<PrivacyRequestType, string> = {
  access: 'privacy-access',
  erasure: 'privacy-erasure',
};

/** The question services flows may call. */
export const caseServices = defineServices<CaseRepos>()({
  'cases.create': async (
    repos,
    args: { topic: string; text: string; districtId: string | null; language: string; firstName?: string },
    env,
  ) => {
    const c = await createCase(repos, {
      residentKey: conversationKey(env.address),
      residentName: args.firstName ?? null,
      channel: env.address.channel,
      language: args.language,
      districtId: args.districtId,
      topic: args.topic,
      text: args.text,
      idempotencyKey: `inbound:${env.inboundId}`,
      now: env.now,
      prefix: env.municipality.referencePrefix,
      ...answerRules(env),
    });
    return caseView(c);
  },
  'cases.propose': async (
    repos,
    args: {
      what: string;
      where: string;
      who: string;
      help: string;
      districtId: string | null;
      language: string;
      firstName?: string;
    },
    env,
  ) => {
    const c = await createCase(repos, {
      residentKey: conversationKey(env.address),
      residentName: args.firstName ?? null,
      channel: env.address.channel,
      language: args.language,
      districtId: args.districtId,
      topic: PROPOSAL_TOPIC,
      kind: 'proposal',
      text: args.what,
      proposal: { where: args.where, who: args.who, help: args.help },
      idempotencyKey: `inbound:${env.inboundId}`,
      now: env.now,
      prefix: env.municipality.referencePrefix,
      ...answerRules(env, 'proposal'),
    });
    return caseView(c);
  },
  /**
   * A resident's request about their data, as a case for the privacy team (routed by kind). The
   * resident is the chat identity asking; nothing is deleted here. While a request of the same type
   * is still being handled, that one is returned (`existing`) and no second case is made.
   */
  'cases.privacy-request': async (
    repos,
    args: { type: PrivacyRequestType; text: string; language: string; firstName?: string },
    env,
  ) => {
    const residentKey = conversationKey(env.address);
    const topic = PRIVACY_TOPICS[args.type];
    const open = (await casesForResident(repos, residentKey)).find(
      (c) => c.kind === 'privacy' && c.topic === topic && INBOX_OPEN_STATUSES.includes(c.status),
    );
    if (open) return { case: caseView(open), existing: true };
    const c = await createCase(repos, {
      residentKey,
      residentName: args.firstName ?? null,
      channel: env.address.channel,
      language: args.language,
      districtId: null,
      topic,
      kind: 'privacy',
      text: args.text,
      idempotencyKey: `inbound:${env.inboundId}`,
      now: env.now,
      prefix: env.municipality.referencePrefix,
      ...answerRules(env, 'privacy'),
    });
    return { case: caseView(c), existing: false };
  },
  'cases.mine': async (repos, _args: Record<string, never>, env) =>
    (await casesForResident(repos, conversationKey(env.address))).map(caseView),
  'cases.find': async (repos, args: { reference: string }, env) => {
    const c = await findForResident(repos, conversationKey(env.address), args.reference);
    if (!c) throw new DomainError('case.not_found');
    return caseView(c);
  },
  'cases.close': async (repos, args: { caseId: string }, env) => {
    const c = await ownCase(repos, env, args.caseId);
    return caseView(c.status === 'closed' ? c : await closeCase(repos, c.id, 'resident', env.now, 'solved'));
  },
  'cases.rate': async (repos, args: { caseId: string; rating: number }, env) => {
    await ownCase(repos, env, args.caseId);
    return caseView(await rateCase(repos, args.caseId, args.rating, env.now));
  },
  'cases.reopen': async (repos, args: { caseId: string; text: string }, env) => {
    const c = await ownCase(repos, env, args.caseId);
    const deadline = answerRules(env, c.kind);
    return caseView(await reopenCase(repos, args.caseId, args.text, env.now, { deadline }));
  },
  'cases.waiting': async (repos, _args: Record<string, never>, env) =>
    (await casesForResident(repos, conversationKey(env.address)))
      .filter((c) => c.status === 'waiting')
      .map(caseView),
  'cases.add-info': async (repos, args: { caseId: string; text: string }, env) => {
    await ownCase(repos, env, args.caseId);
    const m = env.municipality;
    return caseView(
      await addInfo(repos, args.caseId, args.text, env.now, {
        timeZone: m.timeZone,
        holidays: m.cases.holidays,
      }),
    );
  },
  'cases.assigned': async (repos, _args: Record<string, never>, env) => {
    if (!env.staff) throw new DomainError('staff.only');
    // Those waiting for the resident's information too, as the dashboard's open filter shows them:
    // an alderman who asked from chat still sees what they wait for.
    const cases = await repos.cases.listForAssignee('alderman', env.staff.aldermanId, INBOX_OPEN_STATUSES);
    return cases.map(caseView);
  },
  /** The alderman's own case with what was said on it since the question (answers, information, reactions). */
  'cases.staff-find': async (repos, args: { reference: string }, env): Promise<StaffCaseView> => {
    const c = await staffCase(repos, env, args.reference);
    return { ...caseView(c), thread: caseThread(await repos.cases.events(c.id)) };
  },
  /** A linked alderman sets the stage of a proposal of theirs from their own chat; audited as from the dashboard. */
  'cases.staff-stage': async (repos, args: { reference: string; stage: string; reason: string }, env) => {
    const c = await staffCase(repos, env, args.reference);
    if (!isSettableStage(args.stage)) throw new DomainError('case.stage_invalid');
    const actor = `alderman:${env.staff?.aldermanId ?? ''}`;
    const staged = await setProposalStage(
      repos,
      c.id,
      actor,
      { stage: args.stage, reason: args.reason },
      env.now,
    );
    const detail = { status: staged.status, stage: args.stage, via: env.address.channel };
    await repos.audit.append(
      { actor, action: 'case.stage', subject: caseSubject(c.reference), detail },
      env.now,
    );
    return caseView(staged);
  },
  /**
   * A linked alderman asks the resident for more from their own chat, as "ask the resident for
   * information" does in the dashboard: the case waits and its answer-by clock stops; audited.
   */
  'cases.staff-request-info': async (repos, args: { reference: string; question: string }, env) => {
    const c = await staffCase(repos, env, args.reference);
    if (c.kind === 'proposal') throw new DomainError('case.is_proposal');
    if (c.status === 'answered') throw new DomainError('case.already_answered');
    if (c.status === 'closed') throw new DomainError('case.already_closed');
    if (c.status === 'waiting') throw new DomainError('case.already_waiting');
    const actor = `alderman:${env.staff?.aldermanId ?? ''}`;
    const waiting = await requestInfo(repos, c.id, actor, args.question, env.now);
    const detail = { status: waiting.status, via: env.address.channel };
    await repos.audit.append(
      { actor, action: 'case.request-info', subject: caseSubject(c.reference), detail },
      env.now,
    );
    return caseView(waiting);
  },
  /**
   * A linked alderman hands a case of theirs to a department from their own chat, as "assign" does in
   * the dashboard (the department's name from the routing rules); audited. It leaves their list.
   */
  'cases.staff-forward': async (repos, args: { reference: string; departmentId: string }, env) => {
    const c = await staffCase(repos, env, args.reference);
    const department = routingDepartments(env.municipality.cases.routing).find(
      (d) => d.id === args.departmentId,
    );
    if (!department) throw new DomainError('case.unknown_target');
    if (c.status === 'answered') throw new DomainError('case.already_answered');
    if (c.status === 'closed') throw new DomainError('case.already_closed');
    const actor = `alderman:${env.staff?.aldermanId ?? ''}`;
    const to = { type: 'department' as const, ...department };
    const moved = await assignCase(repos, c.id, to, actor, env.now);
    const detail = { status: moved.status, assignee: to, via: env.address.channel };
    await repos.audit.append(
      { actor, action: 'case.assign', subject: caseSubject(c.reference), detail },
      env.now,
    );
    return caseView(moved);
  },
  'cases.answer': async (repos, args: { reference: string; text: string }, env) => {
    const c = await staffCase(repos, env, args.reference);
    // A proposal is answered through its stages, which the resident hears one by one ("stand …").
    if (c.kind === 'proposal') throw new DomainError('case.is_proposal');
    // Someone else (a colleague in the dashboard, or this alderman on another phone) was first:
    // the alderman hears that, not a general "that cannot be done now".
    if (c.status === 'answered') throw new DomainError('case.already_answered');
    if (c.status === 'closed') throw new DomainError('case.already_closed');
    const actor = `alderman:${env.staff?.aldermanId ?? ''}`;
    return caseView(await answerCase(repos, c.id, actor, args.text, env.now));
  },
});
