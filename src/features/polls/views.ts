import type { Poll } from '../../ports/poll-repository.js';

/** A poll as the chat shows it, with the resident's own answer (the option's index) if they gave one. */
export interface PollView {
  id: string;
  question: string;
  options: string[];
  scale: boolean;
  followUp: string | null;
  closesAt: number | null;
  mine: number | null;
}

/** The chat's view of a poll. */
export function pollView(poll: Poll, mine: number | null): PollView {
  return {
    id: poll.id,
    question: poll.question,
    options: poll.options,
    scale: poll.scale,
    followUp: poll.followUp,
    closesAt: poll.closesAt?.getTime() ?? null,
    mine,
  };
}
