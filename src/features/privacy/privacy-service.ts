import type { Retention } from '../../municipality/retention.js';
import { retentionCutoff } from '../../municipality/retention.js';
import type {
  Counts,
  DataSubject,
  Erasure,
  ErasureHold,
  PrivacyContract,
  PrivacyScope,
  StoredRows,
} from '../../ports/privacy.js';
import type { PrivacyAuditEntry } from '../../ports/privacy-audit-repository.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { conversationKey, type Address } from '../../shared/address.js';
import { DomainError } from '../../shared/errors.js';
import { within } from '../../shared/within.js';

/** What the privacy requests run on: every feature's contract and the retention terms. */
export interface PrivacyRun {
  scope: PrivacyScope;
  contracts: readonly PrivacyContract[];
  retention: Retention;
  now: () => Date;
}

/** Rows per purge batch: small enough that a batch never holds the database for long. */
export const PURGE_BATCH = 500;

/** How long the job queue may take to answer before an erasure is held for it (as /healthz waits). */
export const QUEUE_ANSWER_MS = 2_000;

/** How long taking the resident's jobs off the queue may take once the database part is done. */
export const QUEUE_ERASE_MS = 30_000;

/**
 * Deletes or anonymises every record past its term at `at`, feature by feature and batch by batch
 * (each batch its own transaction, so conversations keep flowing), and writes one audit row with
 * the counts. A dry run only counts.
 */
export async function purgeExpired(
  run: PrivacyRun,
  options: { at?: Date; dryRun?: boolean; actor: string; batch?: number },
): Promise<Counts> {
  const at = options.at ?? run.now();
  const dryRun = options.dryRun ?? false;
  const cutoffs = (key: Parameters<typeof retentionCutoff>[1]) => retentionCutoff(run.retention, key, at);
  const totals: Counts = {};
  for (const contract of run.contracts) {
    if (dryRun) {
      addTo(totals, await contract.purge(run.scope, cutoffs, { limit: Number.MAX_SAFE_INTEGER, dryRun }));
      continue;
    }
    for (;;) {
      const counts = await contract.purge(run.scope, cutoffs, {
        limit: options.batch ?? PURGE_BATCH,
        dryRun,
      });
      addTo(totals, counts);
      if (sum(counts) === 0) break;
      // Lets the turns that waited for the database go first.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await run.scope.uow.run((r) =>
    r.privacyAudit.add({ at: run.now(), action: 'purge', actor: options.actor, dryRun, counts: totals }),
  );
  return totals;
}

/** The resident behind a chat address, with the ids other stores may know them by. */
export function dataSubject(run: PrivacyRun, address: Address): Promise<DataSubject> {
  return run.scope.uow.run((repos) => subjectIn(run, repos, address));
}

/** `dataSubject`, read with the caller's repositories (in the erasure's transaction). */
async function subjectIn(run: PrivacyRun, repos: Repositories, address: Address): Promise<DataSubject> {
  const key = conversationKey(address);
  const refs: string[] = [];
  for (const contract of run.contracts)
    refs.push(...((await contract.references?.(repos, { address, key })) ?? []));
  const needles = [
    `"userId":${JSON.stringify(address.userId)}`,
    JSON.stringify(key),
    ...refs.map((r) => JSON.stringify(r)),
  ];
  return { address, key, needles, refs };
}

/** One document with every stored record of the resident (AVG art. 15), audited. */
export async function exportPersonalData(
  run: PrivacyRun,
  address: Address,
  actor: string,
): Promise<{ subject: Address; exportedAt: string; retention: Retention; data: StoredRows }> {
  const subject = await dataSubject(run, address);
  const data: StoredRows = {};
  for (const contract of run.contracts) Object.assign(data, await contract.export(run.scope, subject));
  const counts = Object.fromEntries(Object.entries(data).map(([table, rows]) => [table, rows.length]));
  const entry = auditEntry(run, 'export', actor, subject, counts);
  await run.scope.uow.run((r) => r.privacyAudit.add(entry));
  return { subject: address, exportedAt: run.now().toISOString(), retention: run.retention, data };
}

/**
 * Erasure refused, nothing changed: the resident's own privacy requests are not answered yet, or
 * messages to or from them are still on their way. Answered and sent first, the answer reaches the
 * resident in their chat; erased first, it never could.
 */
export class ErasureHeldError extends DomainError {
  /** The privacy requests to answer first. */
  readonly references: readonly string[];
  /** Whether something to or from the resident is still on its way. */
  readonly sending: boolean;
  /** Whether the job queue did not answer, so the resident's jobs could not go with the rest. */
  readonly queue: boolean;

  constructor(holds: readonly ErasureHold[]) {
    const references = holds.flatMap((h) => (h.kind === 'request' ? [h.reference] : []));
    const sending = holds.some((h) => h.kind === 'sending');
    const queue = holds.some((h) => h.kind === 'queue');
    const why = [
      ...(references.length > 0
        ? [
            `privacy request ${references.join(', ')} of this resident is not answered yet; answer it first (the answer reaches them in their chat), then erase`,
          ]
        : []),
      ...(sending
        ? ['a message to or from this resident is still on its way; erase once it has gone out']
        : []),
      ...(queue
        ? [
            "the job queue (REDIS_URL) does not answer, so the resident's planned jobs cannot be removed; erase once /healthz says the queue is ok",
          ]
        : []),
    ];
    super('privacy.erasure_held', `not erased: ${why.join('; and ')}`);
    this.name = 'ErasureHeldError';
    this.references = references;
    this.sending = sending;
    this.queue = queue;
  }
}

/**
 * The erasure went into the database and the privacy log, but the resident's jobs could not be
 * taken off the queue (Redis away): erasing again removes them (and logs that).
 */
export class ErasureQueueError extends DomainError {
  constructor(
    cause: unknown,
    /** What the erasure did in the database (counts by table), logged. */
    readonly erased: Counts,
  ) {
    super(
      'privacy.erasure_queue',
      `erased and logged, but the resident's queued jobs could not be removed (${String(cause)}); erase again to remove them`,
    );
    this.name = 'ErasureQueueError';
  }
}

/** What must be settled before the resident's data may be erased (none: erasure may go). */
export async function erasureHolds(run: PrivacyRun, address: Address): Promise<ErasureHold[]> {
  const held = await run.scope.uow.run(async (repos) =>
    holdsIn(run, repos, await subjectIn(run, repos, address)),
  );
  return [...held, ...(await queueHolds(run))];
}

/**
 * The queue must answer before an erasure starts: its jobs go right after the database's commit,
 * and a queue that is away would leave them behind (with Redis, its client waits for it forever).
 */
async function queueHolds(run: PrivacyRun): Promise<ErasureHold[]> {
  if (!run.contracts.some((c) => c.eraseQueued !== undefined)) return [];
  try {
    await within(QUEUE_ANSWER_MS, run.scope.queue.ping());
    return [];
  } catch {
    return [{ kind: 'queue' }];
  }
}

async function holdsIn(run: PrivacyRun, repos: Repositories, subject: DataSubject): Promise<ErasureHold[]> {
  const held: ErasureHold[] = [];
  for (const contract of run.contracts) held.push(...((await contract.holdsErasure?.(repos, subject)) ?? []));
  return held;
}

/**
 * Deletes or anonymises every record of the resident (AVG art. 17), audited; returns counts by table.
 * Refused (`ErasureHeldError`, nothing changed) while a privacy request of theirs is unanswered or
 * its answer is still on its way.
 *
 * The check, every contract's erasure and the log's entry are one transaction, so a failure anywhere
 * leaves nothing erased and nothing logged. It first takes the lock a turn takes on the resident's
 * conversation: a turn under way commits first, and its replies then hold the erasure; a turn that
 * comes later waits, finds no conversation, and starts afresh. Only the queue's jobs go after the
 * commit, as no transaction reaches Redis; their count joins the entry then. So the queue must answer
 * first (else held, nothing changed); one that fails after the commit gives `ErasureQueueError`.
 */
export async function erasePersonalData(run: PrivacyRun, address: Address, actor: string): Promise<Counts> {
  const queueDown = await queueHolds(run);
  if (queueDown.length > 0) throw new ErasureHeldError(queueDown);
  // Chats told of what the erasure ended (an alderman's booking): handed over once it committed.
  const told = new Map<string, Address>();
  const { subject, totals, entry } = await run.scope.uow.transaction(async (repos) => {
    told.clear();
    await repos.conversations.lockConversation(conversationKey(address));
    const subject = await subjectIn(run, repos, address);
    const held = await holdsIn(run, repos, subject);
    if (held.length > 0) throw new ErasureHeldError(held);
    const erasure: Erasure = {
      now: run.now(),
      tell: async (to, name, payload, eventId) => {
        await run.scope.notifier.storeEvent(repos, to, name, payload, eventId);
        told.set(conversationKey(to), to);
      },
    };
    const totals: Counts = {};
    for (const contract of run.contracts) addTo(totals, await contract.erase(repos, subject, erasure));
    const entry = await repos.privacyAudit.add(auditEntry(run, 'erase', actor, subject, totals));
    return { subject, totals, entry };
  });
  try {
    for (const contract of run.contracts)
      addTo(
        totals,
        await within(QUEUE_ERASE_MS, contract.eraseQueued?.(run.scope.queue, subject) ?? Promise.resolve({})),
      );
  } catch (error) {
    throw new ErasureQueueError(error, totals);
  }
  await run.scope.uow.run((r) => r.privacyAudit.recount(entry, totals));
  for (const to of told.values()) await run.scope.notifier.handOver(to);
  return totals;
}

function auditEntry(
  run: PrivacyRun,
  action: 'export' | 'erase',
  actor: string,
  subject: DataSubject,
  counts: Counts,
): PrivacyAuditEntry {
  // The log names the resident only by a keyed hash: it outlives the data without holding it.
  return { at: run.now(), action, actor, subject: run.scope.pseudonym(subject.key), counts };
}

function addTo(totals: Counts, counts: Counts): void {
  for (const [table, n] of Object.entries(counts)) totals[table] = (totals[table] ?? 0) + n;
}

function sum(counts: Counts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
