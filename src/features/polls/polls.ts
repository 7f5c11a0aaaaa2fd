import { randomUUID } from 'node:crypto';
import type { FeatureDeps, JobHandlers } from '../../ports/feature.js';
import type { JobHandler } from '../../ports/queue.js';
import { broadcastCommands } from '../participation/broadcast.js';
import type { OutboxItem } from '../../ports/conversation-repository.js';
import type { Poll } from '../../ports/poll-repository.js';
import { DomainError } from '../../shared/errors.js';
import { resultsCsv } from './csv.js';
import type { PollCloseJob, PollInviteJob, PollTellJob } from './events.js';
import { isOpen, isOver, LIMITS, newPoll, pollResults, type NewPoll, type PollResults } from './poll.js';
import { outcomeOf, POLL_TELL, tell, tellAgain, tellOutcomeText } from './tell.js';

/** The longest outcome text staff may write at closing. */
export const MAX_OUTCOME = LIMITS.outcome;

/** What closing did: the poll, how many who answered were told now, and how many at their next message. */
export interface Closed {
  poll: Poll;
  told: number;
  /** whatsapp-web.js residents silent for 24 hours: the outcome waits for their next message. */
  notTold: number;
}

/** What writing an outcome text after closing did; `unchanged`: it was that text already, nobody told. */
export interface Written extends Closed {
  unchanged: boolean;
}

/** The job name of a poll's invitation (run when the poll opens). */
export const POLL_INVITE = 'polls.invite';
/** The job name of a poll's closing at its end date. */
export const POLL_CLOSE = 'polls.close';
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

/** The job id of a poll's closing at its end date: a changed end date gets a job of its own. */
export const closeJobId = (poll: Poll): string => `poll-close:${poll.id}:${poll.closesAt?.getTime() ?? 0}`;

/** Puts the poll's closing at its end date on the queue (idempotent job id); nothing without one. */
async function planClose(deps: PollDeps, poll: Poll): Promise<void> {
  if (!poll.closesAt || poll.closedAt) return;
  const delayMs = Math.max(0, poll.closesAt.getTime() - deps.clock.now().getTime());
  const data: PollCloseJob = { pollId: poll.id, closesAt: poll.closesAt.getTime() };
  await deps.queue.enqueue(POLL_CLOSE, data, { jobId: closeJobId(poll), delayMs });
}

/** The closing job of a poll with an end date, as an outbox item (run at that date). */
function closeJobItem(poll: Poll & { closesAt: Date }): OutboxItem {
  const data: PollCloseJob = { pollId: poll.id, closesAt: poll.closesAt.getTime() };
  return { kind: 'job', name: POLL_CLOSE, data, jobId: closeJobId(poll), runAt: poll.closesAt };
}

async function results(deps: PollDeps, id: string): Promise<PollResults | null> {
  return deps.uow.run(async (r) => {
    const poll = await r.polls.get(id);
    return poll ? pollResults(poll, await r.polls.counts(id)) : null;
  });
}

/**
 * Closes a poll and tells who answered: the one path for staff and for the end date. The
 * conditional update lets exactly one closer win; the others get `poll.already_closed`. `atEnd`:
 * only when its end date has passed (a move of the end date that came first keeps it open).
 */
async function closePoll(
  deps: PollDeps,
  id: string,
  outcomeText: string,
  actor: string,
  atEnd = false,
): Promise<Closed> {
  const text = outcomeText.trim();
  if (text.length > MAX_OUTCOME) throw new DomainError('poll.outcome_too_long');
  const now = deps.clock.now();
  const poll = await deps.uow.transaction(async (r) => {
    const found = await r.polls.get(id);
    if (!found) throw new DomainError('poll.not_found');
    if (!(await r.polls.close(id, text, now, atEnd))) throw new DomainError('poll.already_closed');
    await r.audit.append({ actor, action: 'poll.close', subject: `poll:${id}` }, now);
    // Committed with the closing: a process that dies before it told everyone leaves this behind.
    await r.conversations.addToOutbox([tellAgain(now, { pollId: id }, `poll-tell:${id}`)], now, now);
    return { ...found, closedAt: now, outcome: text };
  });
  return { poll, ...(await tell(deps, poll, await outcomeOf(deps, poll))) };
}

/**
 * Writes (or corrects) the outcome text of a closed poll and tells who answered it once. `version`
 * is the outcome version staff saw: when someone changed it since, `poll.outcome_changed` (unless
 * they saved this very text; then nothing happens and nobody is told again).
 */
async function writeOutcome(
  deps: PollDeps,
  id: string,
  outcomeText: string,
  version: number,
  actor: string,
): Promise<Written> {
  const text = outcomeText.trim();
  if (!text) throw new DomainError('poll.outcome_empty');
  if (text.length > MAX_OUTCOME) throw new DomainError('poll.outcome_too_long');
  const now = deps.clock.now();
  const changed = await deps.uow.transaction(async (r) => {
    const found = await r.polls.get(id);
    if (!found) throw new DomainError('poll.not_found');
    if (!found.closedAt) throw new DomainError('poll.not_closed');
    // The same text again (a second click, two staff with one text): already done.
    if ((found.outcome ?? '') === text) return { poll: found, corrected: false, done: true };
    if (!(await r.polls.setOutcome(id, text, version))) {
      // Another change came first; when it saved this very text there is nothing left to do.
      const latest = await r.polls.get(id);
      if (latest?.outcome === text) return { poll: latest, corrected: false, done: true };
      throw new DomainError('poll.outcome_changed');
    }
    const next = version + 1;
    const corrected = Boolean(found.outcome);
    await r.audit.append(
      { actor, action: 'poll.outcome', subject: `poll:${id}`, detail: { version: next } },
      now,
    );
    await r.conversations.addToOutbox(
      [tellAgain(now, { pollId: id, version: next, corrected }, `poll-tell:${id}:${next}`)],
      now,
      now,
    );
    const poll: Poll = { ...found, outcome: text, outcomeVersion: next };
    return { poll, corrected, done: false };
  });
  if (changed.done) return { poll: changed.poll, told: 0, notTold: 0, unchanged: true };
  const told = await tellOutcomeText(deps, changed.poll, changed.corrected);
  return { poll: changed.poll, ...told, unchanged: false };
}

/**
 * Moves the end date of a poll that is not over (`poll.not_open` otherwise; `poll.closes`
 * for a date not after now and its opening). Its closing job follows in the same transaction: the
 * old date's job finds another end date and leaves the poll alone.
 */
async function moveEnd(deps: PollDeps, id: string, closesAt: Date, actor: string): Promise<Poll> {
  const now = deps.clock.now();
  return deps.uow.transaction(async (r) => {
    const found = await r.polls.get(id);
    if (!found) throw new DomainError('poll.not_found');
    if (found.closedAt || isOver(found, now)) throw new DomainError('poll.not_open');
    if (Number.isNaN(closesAt.getTime()) || closesAt <= now || closesAt <= found.opensAt)
      throw new DomainError('poll.closes');
    if (!(await r.polls.moveEnd(id, closesAt, now))) throw new DomainError('poll.not_open');
    await r.audit.append(
      {
        actor,
        action: 'poll.move',
        subject: `poll:${id}`,
        detail: { from: found.closesAt?.toISOString() ?? null, to: closesAt.toISOString() },
      },
      now,
    );
    const poll = { ...found, closesAt };
    // Committed with the move: the new date's closing is planned even when this process dies now.
    await r.conversations.addToOutbox([closeJobItem(poll)], now, now);
    return poll;
  });
}

/** Closes a poll whose end date passed and that nobody closed yet; false when there was nothing to do. */
async function closeAtEnd(deps: PollDeps, poll: Poll): Promise<boolean> {
  if (poll.closedAt || !poll.closesAt || poll.closesAt > deps.clock.now()) return false;
  try {
    await closePoll(deps, poll.id, '', 'system', true);
    return true;
  } catch (error) {
    // Staff, another worker or the sweep closed it first: they told the residents.
    if (error instanceof DomainError && error.code === 'poll.already_closed') return false;
    throw error;
  }
}

/** The jobs of polls: the invitation when it opens, the closing at its end date. */
export function pollJobs(deps: FeatureDeps): JobHandlers {
  const inviteJob: JobHandler<PollInviteJob> = async (job) => {
    await invite(deps, job.data.pollId);
  };
  const closeJob: JobHandler<PollCloseJob> = async (job) => {
    const poll = await deps.uow.run((r) => r.polls.get(job.data.pollId));
    // A job of an end date that was changed since is not this poll's closing any more.
    if (poll?.closesAt?.getTime() !== job.data.closesAt) return;
    await closeAtEnd(deps, poll);
  };
  const tellJob: JobHandler<PollTellJob> = async (job) => {
    const poll = await deps.uow.run((r) => r.polls.get(job.data.pollId));
    if (!poll?.closedAt) return;
    const { version } = job.data;
    // The event ids make a resident the change's own telling already told a no-op.
    if (version === undefined) await tell(deps, poll, await outcomeOf(deps, poll));
    // A version replaced since is not told: the newer one's telling tells its text.
    else if (poll.outcomeVersion === version) await tellOutcomeText(deps, poll, job.data.corrected === true);
  };
  return { [POLL_INVITE]: inviteJob, [POLL_CLOSE]: closeJob, [POLL_TELL]: tellJob };
}

/**
 * The safety net under the closing jobs (a Redis that lost its data, a job that failed for good):
 * closes the polls past their end date that are still open. Safe to run anywhere, often.
 */
export async function sweepPolls(deps: FeatureDeps): Promise<{ closed: number }> {
  let closed = 0;
  for (const poll of await deps.uow.run((r) => r.polls.due(deps.clock.now())))
    if (await closeAtEnd(deps, poll)) closed++;
  return { closed };
}

/** Polls for staff: create, close (telling who answered), results, free-text answers, CSV. */
export function pollCommands(deps: PollDeps) {
  const { uow, clock, municipality } = deps;
  const districtName = (id: string) => municipality.districts.find((d) => d.id === id)?.name ?? id;

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
      await planClose(deps, poll);
      return poll;
    },

    /**
     * Closes a poll with what the municipality will do with it; everyone who answered is told the
     * outcome, where the channel allows writing first. `poll.not_found`, `poll.already_closed`.
     */
    close: (id: string, outcomeText: string, actor: string): Promise<Closed> =>
      closePoll(deps, id, outcomeText, actor),

    /**
     * Writes or corrects the outcome text of a closed poll (`version`: the one staff saw); who
     * answered hears it once. `poll.not_closed`, `poll.outcome_empty`, `poll.outcome_changed`.
     */
    writeOutcome: (id: string, outcomeText: string, version: number, actor: string): Promise<Written> =>
      writeOutcome(deps, id, outcomeText, version, actor),

    /** Moves the end date of a poll that is not over; its closing job follows. Audited. */
    moveEnd: (id: string, closesAt: Date, actor: string): Promise<Poll> => moveEnd(deps, id, closesAt, actor),

    get: (id: string) => uow.run((r) => r.polls.get(id)),
    /** Polls, newest first. */
    list: () => uow.run((r) => r.polls.list(200)),
    results: (id: string) => results(deps, id),
    /** The results once the poll is over (the public page); null before, or when there is no such poll. */
    async publicResults(id: string): Promise<PollResults | null> {
      const found = await results(deps, id);
      return found && isOver(found.poll, clock.now()) ? found : null;
    },
    /** The free-text answers, for staff only (no resident named). */
    followUps: (id: string) => uow.run((r) => r.polls.followUps(id)),
    /** The results as CSV (same privacy rule as the pages). */
    async csv(id: string): Promise<string | null> {
      const found = await results(deps, id);
      return found ? resultsCsv(found, districtName) : null;
    },
    districtName,
  };
}

/** The poll commands, as the CLI and the dashboard use them. */
export type PollCommands = ReturnType<typeof pollCommands>;
