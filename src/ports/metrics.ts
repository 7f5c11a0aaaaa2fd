/**
 * What the core counts and times for operators (`GET /metrics`). The engine, the dispatcher and the
 * job runner report through this port; the composition root hands in the Prometheus registry.
 */
export interface Metrics {
  /** A person's message was stored (once per channel message id). */
  inbound(channel: string): void;
  /** A message left through its channel ('sent'), or a try failed ('failed', 'undeliverable'). */
  outbound(channel: string, outcome: 'sent' | 'failed' | 'undeliverable'): void;
  /** From taking a message in until its replies were committed to the outbox, in seconds. */
  replyLatency(seconds: number): void;
  /** An inbound item was set aside as a dead letter. */
  deadLetter(stage: 'store' | 'handle'): void;
  /** A job ran ('done') or threw ('failed'; the queue may try it again). */
  job(name: string, outcome: 'done' | 'failed'): void;
}

/** Counts nothing (tests, the CLI). */
export const noMetrics: Metrics = {
  inbound: () => undefined,
  outbound: () => undefined,
  replyLatency: () => undefined,
  deadLetter: () => undefined,
  job: () => undefined,
};
