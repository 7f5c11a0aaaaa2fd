import type { BroadcastMark } from '../../ports/broadcast-repository.js';

/** A poll's outcome as a resident who answered hears it: the figures of all districts, if shown. */
export interface PollOutcome {
  pollId: string;
  question: string;
  /** Each option's share of all answers; null when there were too few to show (privacy). */
  results: { label: string; percent: number }[] | null;
  /** What the municipality will do with it, as staff wrote it at closing ('' when they wrote nothing). */
  outcome: string;
  /** whatsapp-web.js and no message from them in 24 hours: said at their next message instead. */
  hold?: boolean;
}

/** The invitation subscribers of the poll's districts get (through the participation broadcast). */
export interface PollInvite extends BroadcastMark {
  pollId: string;
  question: string;
  closesAt: number | null;
}

/** The job that sends a poll's invitation when it opens. */
export interface PollInviteJob {
  pollId: string;
}

/** The job that closes a poll at its end date (the end date it was planned for). */
export interface PollCloseJob {
  pollId: string;
  /** The end date (ms) the job was planned for; a poll with another end date is left alone. */
  closesAt: number;
}

/** What who answered hears when staff write (or correct) the outcome text after the poll closed. */
export interface PollOutcomeText {
  pollId: string;
  question: string;
  /** What the municipality will do with it. */
  outcome: string;
  /** True when it replaces an earlier text the residents got. */
  corrected: boolean;
  /** whatsapp-web.js and no message from them in 24 hours: said at their next message instead. */
  hold?: boolean;
}

/**
 * The job that tells who answered a closed poll its outcome again, in case the own telling of the
 * closing (no `version`) or of an outcome text written later (its `version`) was cut off.
 */
export interface PollTellJob {
  pollId: string;
  /** The outcome text's version (after closing); a job of a version replaced since tells nothing. */
  version?: number;
  /** With `version`: the text replaces an earlier one the residents got. */
  corrected?: boolean;
}

/** The jobs of the polls feature. */
export interface PollJobs {
  'polls.invite': PollInviteJob;
  'polls.close': PollCloseJob;
  'polls.tell': PollTellJob;
}

/** What the polls feature tells a resident's conversation, by event name. */
export interface PollEvents {
  /** A poll the resident answered has closed. */
  'poll.closed': PollOutcome;
  /** Staff wrote (or corrected) what the municipality will do with a closed poll the resident answered. */
  'poll.outcome': PollOutcomeText;
  /** A poll opened in a district the resident subscribed to. */
  'poll.invite': PollInvite;
}
