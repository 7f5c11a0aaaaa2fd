/** A poll's outcome as a resident who answered hears it: the figures of all districts, if shown. */
export interface PollOutcome {
  pollId: string;
  question: string;
  /** Each option's share of all answers; null when there were too few to show (privacy). */
  results: { label: string; percent: number }[] | null;
  /** What the municipality will do with it, as staff wrote it at closing ('' when they wrote nothing). */
  outcome: string;
}

/** What the polls feature tells a resident's conversation, by event name. */
export interface PollEvents {
  /** A poll the resident answered has closed. */
  'poll.closed': PollOutcome;
}
