import { randomUUID } from 'node:crypto';
import type { FeatureDeps, JobHandlers } from '../../ports/feature.js';
import type { JobHandler } from '../../ports/queue.js';
import { broadcastCommands, mayWriteFirst } from '../participation/broadcast.js';
import type { EventsNotifier } from '../../ports/notifier.js';
import type { Poll } from '../../ports/poll-repository.js';
import { DomainError } from '../../shared/errors.js';
import { resultsCsv } from './csv.js';
import type { PollEvents, PollInviteJob, PollOutcome } from './events.js';
import { isOpen, isOver, newPoll, pollResults, type NewPoll, type PollResults } from './poll.js';

/** The longest outcome text staff may write at closing. */
export const MAX_OUTCOME = 1000;

/** What closing did: the poll, how many who answered were told now, and how many at their next message. */
export interface Closed {
  poll: Poll;
  told: number;
  /** whatsapp-web.js residents silent for 24 hours: the outcome waits for their next message. */
  notTold: number;
}

/** The job name of a poll's invitation (run when the poll opens). */
export const POLL_INVITE = 'polls.invite';

type PollDeps = Pick<FeatureDeps, 'uow' | 'clock' | 'notifier' | 'municipality' | 'queue' | 'broadcast'>;

/**
 * Invites the subscribers of the poll's districts through the participation broadcast (the queue,
 * each channel's rate, the weekly limit per resident, whatsapp-web.js held for their next message).
 * Nothing when the poll is no longer open.
 */
async function invite(deps: PollDeps, pollId: string): Promise<number> {
  const poll = await deps.uow.run((r) => r.polls.get(pollId));
  if (!poll || !isOpen(poll, deps.clock.now())) return 0;
  const payload = { pollId, question: poll.question, closesAt: poll.closesAt?.getTime() ?? null };
  const sent = await broadcastCommands(deps).send({
    kind: 'poll',
    subjectId: poll.id,
    districts: poll.districts,
    event: { name: 'poll.invite', payload },
  });
  return sent.recipients;
}

/** The invitation job: sends once, when the poll opens (its job id makes it once). */
export function pollJobs(deps: FeatureDeps): JobHandlers {
  const handler: JobHandler<PollInviteJob> = async (job) => {
    await invite(deps, job.data.pollId);
  };
  return { [POLL_INVITE]: handler };
}

/** Polls for staff: create, close (telling who answered), results, free-text answers, CSV. */
export function pollCommands(deps: PollDeps) {
  const { uow, clock, municipality } = deps;
  const notifier: EventsNotifier<PollEvents> = deps.notifier;
  const districtName = (id: string) => municipality.districts.find((d) => d.id === id)?.name ?? id;

  async function results(id: string): Promise<PollResults | null> {
    return uow.run(async (r) => {
      const poll = await r.polls.get(id);
      return poll ? pollResults(poll, await r.polls.counts(id)) : null;
    });
  }

  async function tell(poll: Poll, outcome: PollOutcome): Promise<{ told: number; notTold: number }> {
    const now = clock.now();
    const addresses = await uow.run((r) => r.polls.answerers(poll.id));
    let told = 0;
    for (const address of addresses) {
      const last = await uow.run((r) => r.held.lastMessageAt(address));
      const direct = mayWriteFirst(address, last, now, deps.broadcast.whatsapp);
      await notifier.notify(
        address,
        'poll.closed',
        direct ? outcome : { ...outcome, hold: true },
        `poll-closed:${poll.id}`,
      );
      if (direct) told++;
    }
    return { told, notTold: addresses.length - told };
  }

  return {
    /** Creates a poll; `actor` is `staff:<id>` or `cli`. Audited. */
    async create(input: NewPoll, actor: string): Promise<Poll> {
      const now = clock.now();
      const poll = newPoll(input, {
        id: randomUUID().replace(/-/g, '').slice(0, 12),
        now,
        createdBy: actor,
        knownDistricts: municipality.districts.map((d) => d.id),
      });
      await uow.transaction(async (r) => {
        await r.polls.insert(poll);
        await r.audit.append(
          {
            actor,
            action: 'poll.create',
            subject: `poll:${poll.id}`,
            detail: { districts: poll.districts, options: poll.options.length },
          },
          now,
        );
      });
      // Subscribers of its districts are invited when it opens (now, or later by the queue).
      await deps.queue.enqueue(
        POLL_INVITE,
        { pollId: poll.id },
        { jobId: `poll-invite:${poll.id}`, delayMs: Math.max(0, poll.opensAt.getTime() - now.getTime()) },
      );
      return poll;
    },

    /**
     * Closes a poll with what the municipality will do with it; everyone who answered is told the
     * outcome, where the channel allows writing first. `poll.not_found`, `poll.already_closed`.
     */
    async close(id: string, outcomeText: string, actor: string): Promise<Closed> {
      const text = outcomeText.trim();
      if (text.length > MAX_OUTCOME) throw new DomainError('poll.outcome_too_long');
      const now = clock.now();
      const poll = await uow.transaction(async (r) => {
        const found = await r.polls.get(id);
        if (!found) throw new DomainError('poll.not_found');
        if (!(await r.polls.close(id, text, now))) throw new DomainError('poll.already_closed');
        await r.audit.append({ actor, action: 'poll.close', subject: `poll:${id}` }, now);
        return { ...found, closedAt: now, outcome: text };
      });
      const shown = (await results(id))!.total;
      const figures =
        shown.answers === null || shown.partial
          ? null
          : shown.options.map((o) => ({ label: o.label, percent: o.percent ?? 0 }));
      const counts = await tell(poll, {
        pollId: id,
        question: poll.question,
        results: figures,
        outcome: text,
      });
      return { poll, ...counts };
    },

    get: (id: string) => uow.run((r) => r.polls.get(id)),
    /** Polls, newest first. */
    list: () => uow.run((r) => r.polls.list(200)),
    results,
    /** The results once the poll is over (the public page); null before, or when there is no such poll. */
    async publicResults(id: string): Promise<PollResults | null> {
      const found = await results(id);
      return found && isOver(found.poll, clock.now()) ? found : null;
    },
    /** The free-text answers, for staff only (no resident named). */
    followUps: (id: string) => uow.run((r) => r.polls.followUps(id)),
    /** The results as CSV (same privacy rule as the pages). */
    async csv(id: string): Promise<string | null> {
      const found = await results(id);
      return found ? resultsCsv(found, districtName) : null;
    },
    districtName,
  };
}

/** The poll commands, as the CLI and the dashboard use them. */
export type PollCommands = ReturnType<typeof pollCommands>;
