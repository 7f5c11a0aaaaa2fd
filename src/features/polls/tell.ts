import type { FeatureDeps } from '../../ports/feature.js';
import type { OutboxItem } from '../../ports/conversation-repository.js';
import type { EventsNotifier } from '../../ports/notifier.js';
import type { Poll } from '../../ports/poll-repository.js';
import type { Address } from '../../shared/address.js';
import { mayWriteFirst } from '../participation/broadcast.js';
import type { PollEvents, PollOutcome, PollOutcomeText, PollTellJob } from './events.js';
import { pollResults, type PollResults } from './poll.js';

// Telling who answered a poll: that it closed (with its figures and outcome text), and an outcome
// text staff wrote after closing. Each through the queue, once per resident (the event ids).

/** The job name of telling who answered a closed poll its outcome (again: a told resident is not told twice). */
export const POLL_TELL = 'polls.tell';
/**
 * How long after a closing (or a saved outcome text) its telling runs again from the queue: by then
 * the process has told everyone (those are no-ops), unless it died after the commit; then this tells them.
 */
const TELL_AGAIN_MS = 60_000;

/** What telling needs of the feature's dependencies. */
type TellDeps = Pick<FeatureDeps, 'uow' | 'clock' | 'notifier' | 'broadcast'>;

/** The figures residents may hear: null below the privacy threshold (or when the total is partial). */
function outcomeFigures(shown: PollResults['total']): PollOutcome['results'] {
  if (shown.answers === null || shown.partial) return null;
  return shown.options.map((o) => ({ label: o.label, percent: o.percent ?? 0 }));
}

/**
 * Hands every resident who answered the poll one event (through the queue), held for their next
 * message where the channel does not allow writing first. Its event id makes a repeat a no-op.
 */
async function tellAnswerers(
  deps: TellDeps,
  poll: Poll,
  notify: (address: Address, hold: boolean) => Promise<void>,
): Promise<{ told: number; notTold: number }> {
  const now = deps.clock.now();
  const addresses = await deps.uow.run((r) => r.polls.answerers(poll.id));
  let told = 0;
  for (const address of addresses) {
    const last = await deps.uow.run((r) => r.held.lastMessageAt(address));
    const direct = mayWriteFirst(address, last, now, deps.broadcast.whatsapp);
    await notify(address, !direct);
    if (direct) told++;
  }
  return { told, notTold: addresses.length - told };
}

/** Tells everyone who answered that the poll closed, with its outcome. */
export function tell(
  deps: TellDeps,
  poll: Poll,
  outcome: PollOutcome,
): Promise<{ told: number; notTold: number }> {
  const notifier: EventsNotifier<PollEvents> = deps.notifier;
  return tellAnswerers(deps, poll, (address, hold) =>
    notifier.notify(address, 'poll.closed', hold ? { ...outcome, hold } : outcome, `poll-closed:${poll.id}`),
  );
}

/** Tells everyone who answered the outcome text staff wrote after closing (each version once). */
export function tellOutcomeText(
  deps: TellDeps,
  poll: Poll,
  corrected: boolean,
): Promise<{ told: number; notTold: number }> {
  const notifier: EventsNotifier<PollEvents> = deps.notifier;
  const payload: PollOutcomeText = {
    pollId: poll.id,
    question: poll.question,
    outcome: poll.outcome ?? '',
    corrected,
  };
  return tellAnswerers(deps, poll, (address, hold) =>
    notifier.notify(
      address,
      'poll.outcome',
      hold ? { ...payload, hold } : payload,
      `poll-outcome:${poll.id}:${poll.outcomeVersion}`,
    ),
  );
}

/** The queue job, committed with a change, that tells who answered once more a minute later. */
export function tellAgain(now: Date, data: PollTellJob, jobId: string): OutboxItem {
  return { kind: 'job', name: POLL_TELL, data, jobId, runAt: new Date(now.getTime() + TELL_AGAIN_MS) };
}

/** What who answered a closed poll hears: its figures (not under 5 answers) and the outcome text. */
export async function outcomeOf(deps: TellDeps, poll: Poll): Promise<PollOutcome> {
  const counts = await deps.uow.run((r) => r.polls.counts(poll.id));
  const shown = pollResults(poll, counts).total;
  return {
    pollId: poll.id,
    question: poll.question,
    results: outcomeFigures(shown),
    // A text written after closing is told by itself (event 'poll.outcome'), not in this message too.
    outcome: poll.outcomeVersion === 0 ? (poll.outcome ?? '') : '',
  };
}
