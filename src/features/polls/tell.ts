import { retentionCutoff } from '../../municipality/retention.js';
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
type TellDeps = Pick<FeatureDeps, 'uow' | 'clock' | 'notifier' | 'broadcast' | 'municipality'>;

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

/** The closing notice of one resident: once per poll (its event id), held where the channel asks it. */
function closedNotice(
  notifier: EventsNotifier<PollEvents>,
  poll: Poll,
  outcome: PollOutcome,
  address: Address,
  hold: boolean,
): Promise<void> {
  const payload = hold ? { ...outcome, hold } : outcome;
  return notifier.notify(address, 'poll.closed', payload, `poll-closed:${poll.id}`);
}

/** Tells everyone who answered that the poll closed, with its outcome. */
export function tell(
  deps: TellDeps,
  poll: Poll,
  outcome: PollOutcome,
): Promise<{ told: number; notTold: number }> {
  return tellAnswerers(deps, poll, (address, hold) =>
    closedNotice(deps.notifier, poll, outcome, address, hold),
  );
}

/**
 * Tells everyone who answered the outcome text staff wrote after closing (each version once), each
 * after the closing notice. The closing's own telling may not have reached a resident yet (it runs
 * resident by resident, or a minute later from its job when it was cut off), and a resident's
 * events are handled in the order they are stored: so the closing notice is stored first here too,
 * a no-op where it was. Not once the closing is older than the messages' retention: its notice may
 * have been purged, and would be told again.
 */
export async function tellOutcomeText(
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
  const purgedBefore = retentionCutoff(deps.municipality.retention, 'messages', deps.clock.now());
  const closing = poll.closedAt && poll.closedAt >= purgedBefore ? await outcomeOf(deps, poll) : null;
  return tellAnswerers(deps, poll, async (address, hold) => {
    if (closing) await closedNotice(notifier, poll, closing, address, hold);
    await notifier.notify(
      address,
      'poll.outcome',
      hold ? { ...payload, hold } : payload,
      `poll-outcome:${poll.id}:${poll.outcomeVersion}`,
    );
  });
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
