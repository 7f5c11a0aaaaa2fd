import { caseSubject } from '../../shared/audit-subjects.js';
import { DomainError } from '../../shared/errors.js';
import type { Assignee, Case, CaseEvent, ProposalStage } from '../../ports/case-repository.js';
import type { FeatureDeps } from '../../ports/feature.js';
import { CONVERSATION_EVENT, type ConversationEventJob } from '../../ports/notifier.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { addressOfKey } from '../../shared/address.js';
import { type LocalDate } from '../../shared/local-date.js';
import { activeAnswers, libraryOf } from './answer-library.js';
import { addNote, assignCase, MAX_NOTE_LENGTH, moveAnswerBy, requestInfo } from './case-actions.js';
import { checkedText } from './case-change.js';
import { answerCase, closeCase } from './case-service.js';
import { INBOX_OPEN_STATUSES, canTransition, isOpen } from './case-status.js';
import type { CaseEvents } from './events.js';
import { CaseForbiddenError, CaseNotFoundError, InvalidCaseInputError } from './errors.js';
import { caseInbox, type InboxRequest } from './inbox.js';
import { planTimers, tellAlderman, tellAssignee } from './jobs.js';
import {
  inScope,
  mayAct,
  mayAssignTo,
  scopeOf,
  type AssignTarget,
  type CaseAction,
  type CaseViewer,
} from './policy.js';
import { setProposalStage, stageChangeable } from './proposals.js';
import { normalizeReference } from './reference.js';
import { departmentsOf, fitsCase as fitsStandardAnswer, standardAnswersForCase } from './staff-texts.js';
import { canonicalTeam, isKnownTeam, sameAssignee } from './teams.js';
import { caseView } from './views.js';
import { workingDaysBetween } from './working-days.js';

type Repos = Pick<Repositories, 'cases' | 'conversations' | 'audit' | 'standardAnswers'>;

/** Everything a case page shows, already filtered by what the viewer may see. */
export interface CaseDetail {
  case: Case;
  events: CaseEvent[];
  /** The same resident's other cases this viewer may see, newest first. */
  earlier: Case[];
  /** Working days from today until the answer-by date (negative when it passed). */
  workingDaysLeft: number;
  /** Which actions the viewer may take. */
  may: Record<CaseAction, boolean>;
}

/**
 * Whether the case leaves room for the action (the status machine has the last word). A proposal is
 * answered through its stages ("supported", "not possible"), so it has no free answer form.
 */
function fitsCase(action: CaseAction, c: Pick<Case, 'status' | 'kind'>): boolean {
  const status = c.status;
  switch (action) {
    case 'answer':
      return c.kind !== 'proposal' && canTransition(status, 'answer');
    case 'stage':
      return stageChangeable(c);
    case 'request-info':
      return canTransition(status, 'ask');
    case 'move-date':
      return isOpen(status) || status === 'waiting';
    case 'close':
      return canTransition(status, 'close');
    case 'assign':
      return status !== 'closed';
    default:
      return true;
  }
}

/** An outbox item that hands `name` to the resident's conversation, delivered after the commit. */
function toResident<K extends keyof CaseEvents>(c: Case, name: K, payload: CaseEvents[K], eventId: string) {
  const data: ConversationEventJob = { address: addressOfKey(c.residentKey), name, payload, eventId };
  return { kind: 'job' as const, name: CONVERSATION_EVENT, data, jobId: eventId };
}

/**
 * What staff do with cases from the dashboard. Every call names the viewer; a case outside their
 * scope is "not found" (as if it did not exist), one they may see but not change is forbidden.
 * Each action runs in one transaction with its history entry and, when the resident must hear of
 * it, an outbox item for their conversation (the same path as an alderman's answer from chat).
 */
export function caseStaffCommands(deps: FeatureDeps) {
  const m = deps.municipality;
  const districts = m.districts.map((d) => ({ id: d.id, aldermanId: d.aldermanId }));
  const days = { timeZone: m.timeZone, holidays: m.cases.holidays };

  /** The case with `reference` if the viewer may see it, else CaseNotFoundError. */
  async function visible(
    repos: Pick<Repositories, 'cases'>,
    viewer: CaseViewer,
    reference: string,
  ): Promise<Case> {
    const canonical = normalizeReference(reference, m.referencePrefix);
    const c = canonical ? await repos.cases.findByReference(canonical) : null;
    if (!c || !mayAct(viewer, 'view', c, districts))
      throw new CaseNotFoundError(`with reference ${reference}`);
    return c;
  }

  /** Runs one action: visible, allowed, then `work` in a transaction; the resident's notices go to the outbox. */
  async function act(
    viewer: CaseViewer,
    reference: string,
    action: Exclude<CaseAction, 'view'>,
    work: (
      repos: Repos,
      c: Case,
      actor: string,
      now: Date,
    ) => Promise<{ case: Case; tell?: ReturnType<typeof toResident>[] }>,
  ): Promise<Case> {
    const now = deps.clock.now();
    const actor = `staff:${viewer.id}`;
    const before = await deps.uow.run((r) => visible(r, viewer, reference));
    const done = await deps.uow.transaction(async (r) => {
      const c = await visible(r, viewer, reference);
      if (!mayAct(viewer, action, c, districts)) throw new CaseForbiddenError(action);
      const result = await work(r, c, actor, now);
      if (result.tell?.length) await r.conversations.addToOutbox(result.tell, now, now);
      // The audit line commits with the change, or neither does; no message texts in it.
      const detail = {
        status: result.case.status,
        ...(result.case.stage ? { stage: result.case.stage } : {}),
        ...(result.case.assignee ? { assignee: result.case.assignee } : {}),
      };
      await r.audit.append(
        { actor, action: `case.${action}`, subject: caseSubject(c.reference), detail },
        now,
      );
      return result.case;
    });
    if (done.answerBy.getTime() !== before.answerBy.getTime() || done.status !== before.status)
      await planTimers(deps, done);
    return done;
  }

  return {
    /** Statuses the inbox's "open" filter shows (waiting for the resident included). */
    openStatuses: INBOX_OPEN_STATUSES,

    /** The viewer's inbox page. */
    inbox: (viewer: CaseViewer, request: Omit<InboxRequest, 'scope' | 'viewerId' | 'now'>) =>
      deps.uow.run((r) =>
        caseInbox(
          r,
          { ...request, scope: scopeOf(viewer.role, districts), viewerId: viewer.id, now: deps.clock.now() },
          days,
        ),
      ),

    /**
     * Records that the viewer chose to see the numbers masked in a case (BSN, IBAN, phone); the
     * page then shows them. CaseNotFoundError for a case outside the viewer's scope.
     */
    reveal: (viewer: CaseViewer, reference: string): Promise<void> =>
      deps.uow.transaction(async (r) => {
        const c = await visible(r, viewer, reference);
        await r.audit.append(
          { actor: `staff:${viewer.id}`, action: 'case.reveal', subject: caseSubject(c.reference) },
          deps.clock.now(),
        );
      }),

    /** A case page's content, recorded in the audit log; CaseNotFoundError for a case outside the viewer's scope. */
    detail: (viewer: CaseViewer, reference: string): Promise<CaseDetail> =>
      deps.uow.transaction(async (r) => {
        const c = await visible(r, viewer, reference);
        // Every view of a case page is in the audit log, in the same transaction as the read.
        await r.audit.append(
          { actor: `staff:${viewer.id}`, action: 'case.view', subject: caseSubject(c.reference) },
          deps.clock.now(),
        );
        const scope = scopeOf(viewer.role, districts);
        const earlier = (await r.cases.listForResident(c.residentKey)).filter(
          (o) => o.id !== c.id && inScope(o, scope),
        );
        const actions: CaseAction[] = [
          'view',
          'assign',
          'note',
          'answer',
          'request-info',
          'move-date',
          'stage',
          'close',
        ];
        return {
          case: c,
          events: await r.cases.events(c.id),
          earlier,
          workingDaysLeft: workingDaysBetween(deps.clock.now(), c.answerBy, days),
          may: Object.fromEntries(
            actions.map((a) => [a, mayAct(viewer, a, c, districts) && fitsCase(a, c)]),
          ) as Record<CaseAction, boolean>,
        };
      }),

    /** Whether the viewer may still open the case (after handing it to another team, not any more). */
    mayView: (viewer: CaseViewer, c: Case): boolean => mayAct(viewer, 'view', c, districts),

    /** The teams a case can go to: every department in the routing rules, every alderman. */
    teams: (): Assignee[] => [
      ...departmentsOf(m.cases.routing),
      ...m.aldermen.map((a) => ({ type: 'alderman' as const, id: a.id })),
    ],

    /** The people (staff accounts) who could work on the case: only those who may see it. */
    assignable: <P extends { role: CaseViewer['role'] }>(c: Case, people: readonly P[]): P[] =>
      people.filter((p) => inScope(c, scopeOf(p.role, districts))),

    /** The standard answers that fit the case, filled in for it (in the resident's language). */
    standardAnswers: async (viewer: CaseViewer, reference: string) => {
      const [c, library] = await deps.uow.run(
        async (r) => [await visible(r, viewer, reference), await libraryOf(m, r)] as const,
      );
      return standardAnswersForCase(m, deps.texts, c, deps.clock.now(), activeAnswers(library));
    },

    /**
     * Gives the case to a team or a person. An alderman it goes to hears of it in their chat, and
     * one it leaves hears that they need not answer it any more (it left their list without a word).
     */
    assign: (viewer: CaseViewer, reference: string, target: AssignTarget) => {
      let from: Assignee | null = null;
      return act(viewer, reference, 'assign', async (r, c, actor, now) => {
        from = c.assignee;
        if (target.type !== 'person' && !isKnownTeam(m, target))
          throw new InvalidCaseInputError('case.unknown_target', `no ${target.type} "${target.id}"`);
        if (!mayAssignTo(viewer, c, target, districts)) throw new CaseForbiddenError('assign');
        const to: Assignee | ({ type: 'person' } & { id: string; name: string }) =
          target.type === 'person'
            ? { type: 'person', id: target.id, name: target.name }
            : canonicalTeam(m, target);
        return { case: await assignCase(r, c.id, to, actor, now) };
      }).then(async (c) => {
        const at = c.updatedAt.getTime();
        if (target.type === 'alderman')
          await tellAssignee(deps, c, 'case.assigned', `case-assigned-${c.id}-${at}`, { case: caseView(c) });
        const left: Assignee | null = from;
        if (left?.type === 'alderman' && !sameAssignee(left, c.assignee))
          await tellAlderman(
            deps,
            left.id,
            'case.handed_over',
            `case-handed-over-${c.id}-${c.assignee?.type}:${c.assignee?.id}-${at}`,
            {
              case: caseView(c),
            },
          );
        return c;
      });
    },

    note: (viewer: CaseViewer, reference: string, text: string) =>
      act(viewer, reference, 'note', async (r, c, actor, now) => ({
        case: await addNote(r, c.id, actor, text, now),
      })),

    /** Answers the case; the resident gets it on their channel and may react or rate it as always. */
    answer: (viewer: CaseViewer, reference: string, request: { text: string; standardAnswerId?: string }) =>
      act(viewer, reference, 'answer', async (r, c, actor, now) => {
        // A proposal is answered through its stages; the page offers no answer form, and a hand-made
        // post is refused here too.
        if (c.kind === 'proposal') throw new DomainError('case.is_proposal');
        const standard = request.standardAnswerId;
        if (standard && !fitsStandardAnswer(activeAnswers(await libraryOf(m, r)), c, standard))
          throw new InvalidCaseInputError(
            'case.unknown_standard_answer',
            `no standard answer "${standard}" for this topic`,
          );
        const answered = await answerCase(r, c.id, actor, request.text, now, standard);
        const eventId = `case-answered:${answered.id}:${answered.reopenedCount}`;
        return {
          case: answered,
          tell: [toResident(answered, 'case.answered', { case: caseView(answered) }, eventId)],
        };
      }),

    requestInfo: (viewer: CaseViewer, reference: string, question: string) =>
      act(viewer, reference, 'request-info', async (r, c, actor, now) => {
        const waiting = await requestInfo(r, c.id, actor, question, now);
        const eventId = `case-info-requested:${waiting.id}:${now.getTime()}`;
        const payload = { case: caseView(waiting), question: question.trim() };
        return { case: waiting, tell: [toResident(waiting, 'case.info_requested', payload, eventId)] };
      }),

    moveAnswerBy: (viewer: CaseViewer, reference: string, request: { date: LocalDate; reason: string }) =>
      act(viewer, reference, 'move-date', async (r, c, actor, now) => {
        const moved = await moveAnswerBy(r, c.id, actor, request, now, days);
        const eventId = `case-date-moved:${moved.id}:${moved.answerBy.getTime()}`;
        // Earlier than what the resident was told last: the delay notice's date, else the answer-by date.
        const earlier = moved.answerBy < (c.promisedBy ?? c.answerBy);
        const payload = { case: caseView(moved), reason: request.reason.trim(), earlier };
        return { case: moved, tell: [toResident(moved, 'case.date_moved', payload, eventId)] };
      }),

    /** Sets a proposal's stage; the resident hears it (with the reason) on their channel. */
    setStage: (viewer: CaseViewer, reference: string, request: { stage: ProposalStage; reason?: string }) =>
      act(viewer, reference, 'stage', async (r, c, actor, now) => {
        const staged = await setProposalStage(r, c.id, actor, request, now);
        const eventId = `case-proposal-stage:${staged.id}:${request.stage}:${now.getTime()}`;
        const reason = request.reason?.trim() || null;
        const payload = { case: caseView(staged), reason };
        return { case: staged, tell: [toResident(staged, 'case.proposal_stage', payload, eventId)] };
      }),

    /**
     * Closes a case. After its answer that is bookkeeping. Before it (a duplicate, a question for
     * another body) the resident would only see their question end without a word: a reason is
     * needed, and they hear it.
     */
    close: (viewer: CaseViewer, reference: string, reason?: string) =>
      act(viewer, reference, 'close', async (r, c, actor, now) => {
        if (c.status === 'answered')
          return { case: await closeCase(r, c.id, actor, now, reason?.trim() || undefined) };
        const why = checkedText(reason ?? '', MAX_NOTE_LENGTH);
        const closed = await closeCase(r, c.id, actor, now, why);
        const eventId = `case-closed:${closed.id}:${now.getTime()}`;
        const payload = { case: caseView(closed), reason: why };
        return { case: closed, tell: [toResident(closed, 'case.closed', payload, eventId)] };
      }),
  };
}

/** What staff do with cases (`app.commands.cases`). */
export type CaseStaffCommands = ReturnType<typeof caseStaffCommands>;
