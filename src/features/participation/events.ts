import type { BroadcastMark } from '../../ports/broadcast-repository.js';
import type { Level } from '../../ports/participation-repository.js';

/** A project update as a subscriber's conversation gets it. */
export interface UpdateNotice extends BroadcastMark {
  updateId: number;
  title: string;
  text: string;
  link?: string;
  level: Level;
  influence?: string;
  /** YYYY-MM-DD. */
  until?: string;
}

/** What the participation feature tells a resident's conversation, by event name. */
export interface ParticipationEvents {
  /** A project update for a district the resident subscribed to. */
  'participation.update': UpdateNotice;
}

/** One batch of a broadcast on one channel; the next batch follows at the channel's rate. */
export interface BroadcastBatchJob {
  broadcastId: number;
  channel: string;
  round: number;
  /** When this batch was due (epoch ms): the next is due one batch's time later, so lateness does not add up. */
  dueAt?: number;
}

/** The jobs of the participation feature. */
export interface ParticipationJobs {
  'broadcast.batch': BroadcastBatchJob;
}
