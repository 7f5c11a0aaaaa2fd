/** The queue was closed; it takes no more jobs. */
export class JobQueueClosedError extends Error {
  constructor(queueName: string) {
    super(`Job queue ${queueName} is closed`);
    this.name = 'JobQueueClosedError';
  }
}

/** Redis may evict keys, which would silently lose jobs; the message is one line an operator can act on. */
export class RedisEvictionPolicyError extends Error {
  constructor(readonly policy: string) {
    super(
      `Redis maxmemory-policy is ${policy}; BullMQ needs noeviction: run CONFIG SET maxmemory-policy noeviction`,
    );
    this.name = 'RedisEvictionPolicyError';
  }
}

/** Redis could not be reached or refused the connection at start; `cause` holds the reason (code, message). */
export class RedisUnreachableError extends Error {
  constructor(cause: unknown) {
    super(`Redis unreachable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'RedisUnreachableError';
  }
}
