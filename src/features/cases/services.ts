import {
  answerCase,
  casesForAssignee,
  casesForResident,
  closeCase,
  createCase,
  findForResident,
  rateCase,
  reopenCase,
} from './case-service.js';
import { normalizeReference } from './reference.js';
import { conversationKey } from '../../engine/messages.js';
import type { ServiceEnvironment, ServiceRegistry } from '../../ports/services.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { DomainError } from '../../shared/errors.js';
import { caseView } from './views.js';

/** The resident's own case, or the same "not found" as for a case that does not exist. */
async function ownCase(repos: Repositories, env: ServiceEnvironment, caseId: string) {
  const c = await repos.cases.findById(caseId);
  if (!c || c.residentKey !== conversationKey(env.address)) throw new DomainError('case.not_found');
  return c;
}

/** The case with that reference if it is assigned to the linked alderman asking. */
async function staffCase(repos: Repositories, env: ServiceEnvironment, reference: string) {
  const aldermanId = env.staff?.aldermanId;
  if (!aldermanId) throw new DomainError('staff.only');
  const canonical = normalizeReference(reference);
  const c = canonical ? await repos.cases.findByReference(canonical) : null;
  if (!c || c.assignee?.type !== 'alderman' || c.assignee.id !== aldermanId)
    throw new DomainError('staff.not_yours');
  return c;
}

/** The question services flows may invoke. */
export function caseServices(): ServiceRegistry {
  return {
    'cases.create': async (
      repos,
      args: { topic: string; text: string; districtId: string | null; language: string },
      env,
    ) => {
      const m = env.municipality;
      const c = await createCase(repos, {
        residentKey: conversationKey(env.address),
        channel: env.address.channel,
        language: args.language,
        districtId: args.districtId,
        topic: args.topic,
        text: args.text,
        idempotencyKey: `inbound:${env.inboundId}`,
        now: env.now,
        prefix: m.referencePrefix,
        norm: m.cases.routing.answerNormWorkingDays,
        holidays: m.cases.holidays,
        timeZone: m.timeZone,
      });
      return caseView(c);
    },
    'cases.mine': async (repos, _args, env) =>
      (await casesForResident(repos, conversationKey(env.address))).map(caseView),
    'cases.find': async (repos, args: { reference: string }, env) => {
      const c = await findForResident(repos, conversationKey(env.address), args.reference);
      if (!c) throw new DomainError('case.not_found');
      return caseView(c);
    },
    'cases.close': async (repos, args: { caseId: string }, env) => {
      const c = await ownCase(repos, env, args.caseId);
      return caseView(
        c.status === 'closed' ? c : await closeCase(repos, c.id, 'resident', env.now, 'solved'),
      );
    },
    'cases.rate': async (repos, args: { caseId: string; rating: number }, env) => {
      await ownCase(repos, env, args.caseId);
      return caseView(await rateCase(repos, args.caseId, args.rating, env.now));
    },
    'cases.reopen': async (repos, args: { caseId: string; text: string }, env) => {
      await ownCase(repos, env, args.caseId);
      const m = env.municipality;
      const deadline = {
        norm: m.cases.routing.answerNormWorkingDays,
        holidays: m.cases.holidays,
        timeZone: m.timeZone,
      };
      return caseView(await reopenCase(repos, args.caseId, args.text, env.now, { deadline }));
    },
    'cases.assigned': async (repos, _args, env) => {
      if (!env.staff) throw new DomainError('staff.only');
      return (await casesForAssignee(repos, 'alderman', env.staff.aldermanId)).map(caseView);
    },
    'cases.staff-find': async (repos, args: { reference: string }, env) =>
      caseView(await staffCase(repos, env, args.reference)),
    'cases.answer': async (repos, args: { reference: string; text: string }, env) => {
      const c = await staffCase(repos, env, args.reference);
      const actor = `alderman:${env.staff?.aldermanId ?? ''}`;
      return caseView(await answerCase(repos, c.id, actor, args.text, env.now));
    },
  };
}
