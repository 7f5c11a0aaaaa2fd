import type { Logger } from 'pino';
import { cleanText } from '../shared/clean-text.js';
import { translator, type Language, type Texts } from '../i18n/translator.js';
import type { Municipality } from '../municipality/municipality.js';
import type { ConversationRepository } from '../ports/conversation-repository.js';
import type { DeadLetterRepository } from '../ports/dead-letter-repository.js';
import type { Service, ServiceEnvironment, ServiceResult, StaffIdentity } from '../ports/services.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { Clock } from '../shared/clock.js';
import { DatabaseUnavailableError, DomainError } from '../shared/errors.js';
import { KeyedMutex } from '../shared/keyed-mutex.js';
import type { Ingress } from '../ports/channel.js';
import type { Notifier, NotifierRepositories } from '../ports/notifier.js';
import { noMetrics, type Metrics } from '../ports/metrics.js';
import type {
  OutboxItem,
  StoredInbound,
  StoredOutboxItem,
  TurnStart,
} from '../ports/conversation-repository.js';
import type { FlowSet, FlowTypes } from './flow.js';
import { toInput } from './input.js';
import type { Vocabulary } from '../understanding/vocabulary.js';
import { conversationKey, type Address, type InboundMessage } from '../ports/messages.js';
import { initialState, restoreState } from './state.js';
import {
  resumeTurn,
  startTurn,
  type TurnEnvironment,
  type TurnEvent,
  type TurnOutput,
} from './transition.js';

/**
 * How long a stored message may wait before the periodic sweep (`App.sweep`) takes it up as left
 * behind. The process that stored a message handles it at once, in milliseconds, and under load
 * within a few seconds behind its conversation's earlier messages; a sweep that took it up sooner
 * ran the turn again beside that process, lost on the version check, and sent the replies through
 * the outbox sweep, later. Well below SWEEP_SECONDS (30 by default), so a message of a process that
 * died, or whose turn met a database that was away, waits at most one sweep longer.
 */
export const LEFT_BEHIND_AFTER_MS = 10_000;

/** Where committed outbox items go: the dispatcher. */
export interface OutboxSink {
  deliver(items: StoredOutboxItem[]): void;
  /**
   * Whether this process sends a new message on `channel` itself, right after the commit: it serves
   * the channel, and every earlier undelivered message to the same person (`earlier`, outbox ids)
   * is already on its way here, ahead of the new one. Otherwise the outbox sweep delivers it.
   */
  sendsDirectly(channel: string, earlier: readonly number[]): boolean;
}

/** The repositories the engine itself uses; services may need more (`R`). */
export interface EngineRepositories {
  readonly conversations: ConversationRepository;
  readonly deadLetters: DeadLetterRepository;
}

/** What conversations run on: the flows, and the words residents type that the matcher reads. */
export interface Conversations<T extends FlowTypes> {
  flows: FlowSet<T>;
  /** The words residents type (data/vocabulary), read by the matcher for every message. */
  vocabulary: Vocabulary;
}

export interface EngineOptions<T extends FlowTypes, R extends EngineRepositories> {
  uow: UnitOfWork<R>;
  /** The flows and the vocabulary, asked for once, at the first turn (so they may load only then). */
  conversations: () => Promise<Conversations<T>>;
  texts: Texts;
  municipality: Municipality;
  clock: Clock;
  /** The services the flows call, by name; each runs with the turn's repositories. */
  services: T['services'] & Record<string, Service<R, never, unknown>>;
  sink: OutboxSink;
  logger: Logger;
  /** A keyed hash that stands for a conversation in logs (its key holds a phone number or chat id). */
  pseudonym: (key: string) => string;
  idleMs: number;
  /** How long this process may hold fresh outbox items before another may deliver them. */
  claimMs?: number;
  /** Per-sender message limit (default 30 a minute); more are kept but not answered. */
  rateLimit?: { messages: number; perMs: number };
  /** Tries to store or handle an item before it becomes a dead letter (default 3). */
  maxTries?: number;
  /** Fault injection for tests: runs after an inbound message is stored, before it is handled. */
  afterStore?: (inboundId: number) => void;
  /** Fault injection for tests: runs before each try to store a message (throw to make it fail). */
  beforeStore?: (message: InboundMessage) => void;
  /** Counts messages, reply latency and dead letters (default: nothing). */
  metrics?: Metrics;
}

/**
 * The most waiting events one turn takes in. Bounds the turn's write (one outbox row or more per
 * event) and how long the conversation's lane is held.
 */
const EVENTS_PER_TURN = 16;

/** One item a turn handled, and what its flow step made of it. */
interface TurnStep<T extends FlowTypes> {
  item: StoredInbound;
  output: TurnOutput<T>;
}

/**
 * Stores what comes in, then runs each conversation's items one at a time and in order: each turn
 * loads the state, runs the pure flow step, saves the state and the outbox in one transaction.
 */
export class Engine<T extends FlowTypes, R extends EngineRepositories> implements Ingress, Notifier {
  private readonly lanes = new KeyedMutex();
  /** Per conversation, the drain that waits for its lane and has not started yet. */
  private readonly waitingDrains = new Map<string, Promise<void>>();

  private readonly maxTries: number;
  private readonly metrics: Metrics;
  private conversations: Promise<Conversations<T>> | undefined;

  constructor(private readonly o: EngineOptions<T, R>) {
    this.maxTries = o.maxTries ?? 3;
    this.metrics = o.metrics ?? noMetrics;
  }

  private loaded(): Promise<Conversations<T>> {
    return (this.conversations ??= this.o.conversations());
  }

  /**
   * Takes a person's message: stored once per (channel, message id), then handled. A message that
   * cannot be stored after the last try becomes a dead letter and the person gets an apology, so
   * the channel moves on; only when even that cannot be written (the database is down) this throws
   * and the channel keeps the message to hand it in again.
   */
  async receive(message: InboundMessage, progress?: { stored?: () => void }): Promise<void> {
    const address = { channel: message.channel, userId: message.userId };
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      let id: number | null;
      let turn: TurnStart | null;
      try {
        ({ id, turn } = await this.store(message, address));
      } catch (error) {
        // The database is away: not the message's fault; the channel keeps it and hands it in again.
        if (error instanceof DatabaseUnavailableError) throw error;
        if (attempt < this.maxTries) {
          await pause(50 * attempt);
          continue;
        }
        await this.setAsideUnstored(message, address, error, attempt);
        progress?.stored?.();
        return;
      }
      progress?.stored?.();
      if (id !== null) {
        this.metrics.inbound(message.channel);
        this.o.afterStore?.(id);
      }
      // Also for a repeat: the first delivery may have been stored but not yet handled (a crash, a busy file).
      await this.drain(conversationKey(address), turn ?? undefined);
      if (id !== null) this.metrics.replyLatency((performance.now() - started) / 1000);
      return;
    }
  }

  /** Stores the message and reads the conversation's turn with it (see `drain`). */
  private store(
    message: InboundMessage,
    address: Address,
  ): Promise<{ id: number | null; turn: TurnStart | null }> {
    this.o.beforeStore?.(message);
    // One atomic write of its own (storeAndReadTurn needs no transaction around it).
    return this.o.uow.run((repos) =>
      repos.conversations.storeAndReadTurn({
        dedupeKey: dedupeKeyOf(message),
        address,
        kind: 'message',
        // The one place where what residents send is cleaned before anything stores it.
        text: cleanText(message.text),
        ...(message.choiceId === undefined ? {} : { choiceId: cleanText(message.choiceId) }),
        hasMedia: message.hasMedia ?? false,
        ...firstNameOf(message.displayName),
        // A conversation this message starts is held in the language the resident chose on the channel.
        ...(message.language ? { initialState: initialState(message.language) } : {}),
        now: this.o.clock.now(),
      }),
    );
  }

  /** The last try to store failed: keep the message as a dead letter and apologise to the person. */
  private async setAsideUnstored(
    message: InboundMessage,
    address: Address,
    error: unknown,
    attempts: number,
  ): Promise<void> {
    const key = conversationKey(address);
    const now = this.o.clock.now();
    const apology = await this.o.uow
      .transaction(async (repos) => {
        await repos.deadLetters.add({
          stage: 'store',
          address,
          dedupeKey: dedupeKeyOf(message),
          payload: JSON.stringify(message),
          error: errorSummary(error),
          attempts,
          now,
        });
        const lang = (await repos.conversations.languageOf(key)) ?? this.o.municipality.defaultLanguage;
        return this.addApology(repos, address, lang, undefined, now);
      })
      .catch((deadLetterError: unknown) => {
        // Not even the dead letter could be written: the database is down, not the message bad.
        this.o.logger.warn(
          { err: errorSummary(deadLetterError), conversation: this.o.pseudonym(key) },
          'inbound not stored; the channel keeps it',
        );
        throw error;
      });
    this.o.logger.error(
      { err: errorSummary(error), conversation: this.o.pseudonym(key), attempts },
      'inbound could not be stored: set aside as a dead letter',
    );
    this.metrics.deadLetter('store');
    this.o.sink.deliver(apology);
  }

  private addApology(
    repos: R,
    to: Address,
    lang: Language,
    causeId: number | undefined,
    now: Date,
  ): Promise<StoredOutboxItem[]> {
    const text = translator(this.o.texts, lang)('core.error', { phone: this.o.municipality.phone });
    return this.writeOutbox(
      repos,
      [{ kind: 'message', to, text, ...(causeId === undefined ? {} : { causeId }) }],
      now,
      600_000,
    );
  }

  /**
   * Writes outbox items and returns the ones this process delivers itself, right after the commit.
   * A message goes out directly only when nothing earlier to the same person still waits anywhere
   * else (in another process, for a retry, or for the sweep after a lost acknowledgement); if
   * something does, it is stored unclaimed and the sweep sends it after the earlier ones, so each
   * person's messages leave in the order they were written, also across failures.
   */
  private async writeOutbox(
    repos: R,
    items: OutboxItem[],
    now: Date,
    claimMs: number,
  ): Promise<StoredOutboxItem[]> {
    const viaSweep = new Set<string>();
    const decided = new Set<string>();
    for (const item of items) {
      if (item.kind !== 'message') continue;
      const key = conversationKey(item.to);
      if (decided.has(key)) continue;
      decided.add(key);
      const direct =
        this.o.sink.sendsDirectly(item.to.channel, []) &&
        this.o.sink.sendsDirectly(item.to.channel, await repos.conversations.undeliveredTo(item.to));
      if (!direct) viaSweep.add(key);
    }
    const swept = (item: OutboxItem) => item.kind === 'message' && viaSweep.has(conversationKey(item.to));
    const own = items.filter((item) => !swept(item));
    const claimed = own.length
      ? await repos.conversations.addToOutbox(own, now, new Date(now.getTime() + claimMs))
      : [];
    const left = items.filter(swept);
    if (left.length) await repos.conversations.addToOutbox(left, now, now);
    return claimed;
  }

  /**
   * Tries a dead letter again: a message that was never stored is handed in anew, a stored item is
   * put back in its conversation's queue. False when the letter is not open (unknown, or done).
   */
  async retryDeadLetter(id: number): Promise<boolean> {
    const now = this.o.clock.now();
    const letter = await this.o.uow.transaction(async (repos) => {
      const found = await repos.deadLetters.get(id);
      if (!found || !(await repos.deadLetters.resolve(id, 'retried', now))) return null;
      if (found.inboundId !== undefined) await repos.conversations.requeueInbound(found.inboundId);
      return found;
    });
    if (!letter) return false;
    if (letter.stage === 'store') await this.receive(JSON.parse(letter.payload) as InboundMessage);
    else await this.drain(conversationKey(letter.address));
    return true;
  }

  /** Drops a dead letter for good (it stays in the table as dropped). False when it was not open. */
  dropDeadLetter(id: number): Promise<boolean> {
    return this.o.uow.transaction((repos) => repos.deadLetters.resolve(id, 'dropped', this.o.clock.now()));
  }

  /** Hands an event (a timer, a notice) to a conversation; `eventId` makes it idempotent. */
  async notify(address: Address, name: string, payload: object, eventId: string): Promise<void> {
    await this.o.uow.run((repos) => this.storeEvent(repos, address, name, payload, eventId));
    // Drained even when the event was stored before: a retried job must not leave it waiting.
    await this.handOver(address);
  }

  /** Stores an event with the caller's repositories (in its transaction); `handOver` after the commit. */
  async storeEvent(
    repos: NotifierRepositories,
    address: Address,
    name: string,
    payload: object,
    eventId: string,
  ): Promise<void> {
    await repos.conversations.storeInbound({
      dedupeKey: `event:${eventId}:${conversationKey(address)}`,
      address,
      kind: 'event',
      text: '',
      event: { name, payload: { ...payload } },
      now: this.o.clock.now(),
    });
  }

  /** Handles what waits in the conversation: stored events and messages, oldest first. */
  handOver(address: Address): Promise<void> {
    return this.drain(conversationKey(address));
  }

  /**
   * Handles every pending item of a conversation, oldest first. A caller whose item is stored joins
   * a drain that waits for the conversation's lane and has not started: that drain reads every
   * pending item, this one too, so a second pass after it would find nothing (a busy alderman's
   * chat gets many notices at once). `read` is the turn as the caller just read it: the first pass
   * starts from it when the lane is free now (a lane at work would make it stale; then it is read
   * again). It is only a start: the turn is saved only if the conversation has not moved on since.
   */
  drain(key: string, read?: TurnStart): Promise<void> {
    const waiting = this.waitingDrains.get(key);
    if (waiting) return waiting;
    let turn = this.lanes.busy(key) ? undefined : read;
    const started = () => {
      if (this.waitingDrains.get(key) === drained) this.waitingDrains.delete(key);
    };
    const drained = this.lanes.run(key, async () => {
      started();
      // Keep going while the conversation has items waiting.
      while (await this.handleNext(key, turn)) turn = undefined;
    });
    this.waitingDrains.set(key, drained);
    return drained;
  }

  /**
   * Handles what was stored but not yet handled: everything after a restart; with `pendingForMs`
   * (the periodic sweep), only conversations with an item that has waited at least that long.
   */
  async recover(pendingForMs?: number): Promise<number> {
    const storedUpTo =
      pendingForMs === undefined ? undefined : new Date(this.o.clock.now().getTime() - pendingForMs);
    const keys = await this.o.uow.run((repos) =>
      repos.conversations.conversationsWithPending(10_000, storedUpTo),
    );
    await Promise.all(keys.map((key) => this.drain(key)));
    return keys.length;
  }

  /**
   * Handles the oldest pending item (with the events waiting right behind it, when it is an event:
   * `laterEvents`); true when more are waiting. A turn is first read and written
   * without a lock, in two statements: the write checks that the conversation is still where the
   * read found it. A turn that calls a service, or that another process beat to the conversation,
   * runs again in a transaction that holds the conversation's lock, with the services in it.
   */
  private async handleNext(key: string, read?: TurnStart): Promise<boolean> {
    // Outside the try: flows that cannot be loaded are no failure of the item (no dead letter).
    const conversations = await this.loaded();
    let pending: StoredInbound | null = null;
    let more = false;
    const seen = (turn: TurnStart | null) => {
      pending = turn?.item ?? null;
      more = turn?.more ?? false;
      return turn;
    };
    try {
      const quick = await this.o.uow.run(async (repos) => {
        const turn = seen(read ?? (await repos.conversations.readTurn(key)));
        if (!turn) return null;
        const output = await this.runTurn(conversations, repos, turn, false);
        if (!output) return undefined;
        const taken = await this.laterEvents(conversations, repos, turn, output);
        const { saved, all } = await this.finishSteps(repos, turn, taken.steps);
        more = all ? taken.more : true;
        return saved;
      });
      if (quick === null && !pending) return false;
      const delivered =
        quick ??
        (await this.o.uow.transaction(async (repos) => {
          if (!(await repos.conversations.lockConversation(key))) {
            seen(null);
            return null;
          }
          const turn = seen(await repos.conversations.readTurn(key));
          if (!turn) return null;
          const output = await this.runTurn(conversations, repos, turn, true);
          if (!output) throw new Error('a turn with services came back without its output');
          const saved = await this.finishTurn(repos, turn, [{ item: turn.item, output }]);
          // Under the lock nobody else can have moved the conversation on.
          if (!saved) throw new Error('the conversation changed under its lock');
          return saved;
        }));
      if (delivered === null) return false;
      this.o.sink.deliver(delivered);
      return more;
    } catch (error) {
      // A lost database connection is no failed try: the item stays pending for the next drain.
      if (!pending || error instanceof DatabaseUnavailableError) throw error;
      await this.failed(key, pending, error);
      return true;
    }
  }

  /**
   * Runs the events that wait right behind the turn's item, when that item is an event too: a busy
   * alderman's chat gets many notices at once, and each one in a turn of its own cost a read and a
   * write of the same conversation. Each runs on the state the one before it left, as it would in a
   * turn of its own. The run ends before a person's message (handled alone, as always), before an
   * event whose step calls a service (its own turn, under the lock) and before one whose step throws
   * (its own turn, where its tries are counted). Returns the steps to save and whether more wait.
   */
  private async laterEvents(
    conversations: Conversations<T>,
    repos: R,
    turn: TurnStart,
    output: TurnOutput<T>,
  ): Promise<{ steps: TurnStep<T>[]; more: boolean }> {
    const steps: TurnStep<T>[] = [{ item: turn.item, output }];
    if (turn.item.kind !== 'event' || !turn.more) return { steps, more: turn.more };
    const later = await repos.conversations.pendingAfter(
      turn.conversation.key,
      turn.item.id,
      EVENTS_PER_TURN - 1,
    );
    for (const item of later.items) {
      if (item.kind !== 'event') return { steps, more: true };
      const before = steps[steps.length - 1]?.output.state;
      // The state as a turn of its own would read it back from the database.
      const conversation = { ...turn.conversation, state: JSON.parse(JSON.stringify(before)) as unknown };
      const next = await this.runTurn(conversations, repos, { ...turn, conversation, item }, false).catch(
        () => undefined,
      );
      if (!next) return { steps, more: true };
      steps.push({ item, output: next });
    }
    return { steps, more: later.more };
  }

  /**
   * Saves the steps of one turn (`finishTurn`). When a write of several fails, the first is saved
   * alone (`all` false): whatever failed then fails in a turn of its own, and counts a try for its
   * own item only.
   */
  private async finishSteps(
    repos: R,
    turn: TurnStart,
    steps: TurnStep<T>[],
  ): Promise<{ saved: StoredOutboxItem[] | null; all: boolean }> {
    try {
      return { saved: await this.finishTurn(repos, turn, steps), all: true };
    } catch (error) {
      if (steps.length === 1 || error instanceof DatabaseUnavailableError) throw error;
      return { saved: await this.finishTurn(repos, turn, steps.slice(0, 1)), all: false };
    }
  }

  /**
   * Writes the turn: state, the item handled, and the outbox. A reply goes out directly from here
   * only when nothing earlier to the same person still waits anywhere else (in another process, for
   * a retry, or for the sweep after a lost acknowledgement); otherwise the sweep sends it after the
   * earlier ones, so each person's messages leave in the order they were written, also across failures.
   */
  private async finishTurn(
    repos: R,
    turn: TurnStart,
    steps: TurnStep<T>[],
  ): Promise<StoredOutboxItem[] | null> {
    const self = turn.conversation;
    const address = { channel: self.channel, userId: self.userId };
    const items = steps.flatMap((step) => toOutbox(step.output, address, step.item.id));
    const last = steps[steps.length - 1]?.output;
    if (!last) throw new Error('a turn without a step');
    // As saving each step in turn would: the last flag a step set wins.
    const flags: { needsHuman?: boolean } = {};
    for (const step of steps)
      if (step.output.flags.needsHuman !== undefined) flags.needsHuman = step.output.flags.needsHuman;
    const direct = new Map<string, readonly number[]>();
    const decided = new Set<string>();
    for (const item of items) {
      if (item.kind !== 'message') continue;
      const to = conversationKey(item.to);
      if (decided.has(to)) continue;
      decided.add(to);
      if (!this.o.sink.sendsDirectly(item.to.channel, [])) continue;
      const earlier = to === self.key ? turn.undelivered : await repos.conversations.undeliveredTo(item.to);
      if (this.o.sink.sendsDirectly(item.to.channel, earlier)) direct.set(to, earlier);
    }
    const now = this.o.clock.now();
    return repos.conversations.finishTurn({
      key: self.key,
      version: turn.version,
      state: last.state,
      flags,
      inboundId: turn.item.id,
      ...(steps.length > 1 ? { alsoHandled: steps.slice(1).map((step) => step.item.id) } : {}),
      now,
      items,
      claimUntil: new Date(now.getTime() + (this.o.claimMs ?? 60_000)),
      direct,
    });
  }

  /** Runs the flow step; without `services` it stops (undefined) where the step would call one. */
  private async runTurn(
    { flows, vocabulary }: Conversations<T>,
    repos: R,
    turn: TurnStart,
    services: boolean,
  ): Promise<TurnOutput<T> | undefined> {
    const item = turn.item;
    const address = { channel: turn.conversation.channel, userId: turn.conversation.userId };
    const staff: StaffIdentity | undefined = turn.aldermanId ? { aldermanId: turn.aldermanId } : undefined;
    const now = this.o.clock.now();
    const { state, reset } = restoreState(turn.conversation.state, this.o.municipality.defaultLanguage);
    const env: TurnEnvironment<T> = {
      flows,
      texts: this.o.texts,
      municipality: this.o.municipality,
      address,
      now,
      idleMs: this.o.idleMs,
      ...(this.o.rateLimit ? { rateLimit: this.o.rateLimit } : {}),
      ...(staff ? { staff } : {}),
    };
    const event: TurnEvent =
      item.kind === 'event' && item.event
        ? { kind: 'event', name: item.event.name, payload: item.event.payload }
        : {
            kind: 'message',
            input: toInput(
              vocabulary,
              item.text,
              item.hasMedia,
              state.choices,
              item.choiceId,
              item.firstName,
              state.earlier,
            ),
          };
    if (event.kind === 'message') env.input = event.input;
    let output = startTurn(env, state, event);
    if (output.call && !services) return undefined;
    if (reset) output.messages.unshift({ text: translator(this.o.texts, state.lang)('core.state_reset') });
    const serviceEnv: ServiceEnvironment = {
      now,
      address,
      municipality: this.o.municipality,
      inboundId: item.id,
      ...(staff ? { staff } : {}),
    };
    for (let calls = 0; output.call; calls++) {
      if (calls > 10) throw new Error('flow loop: more than 10 service calls in one turn');
      output = resumeTurn(
        env,
        output,
        await this.call(repos, output.call.service, output.call.args, serviceEnv),
      );
    }
    return output;
  }

  private async call(
    repos: R,
    name: string,
    args: unknown,
    env: ServiceEnvironment,
  ): Promise<ServiceResult<unknown>> {
    // `flowKit().call` checked `args` against this very service's type when the flow was compiled.
    const service = this.o.services[name] as Service<R, unknown, unknown> | undefined;
    if (!service) throw new Error(`unknown service "${name}"`);
    try {
      return { ok: true, value: await service(repos, args, env) };
    } catch (error) {
      if (error instanceof DomainError) return { ok: false, code: error.code };
      throw error;
    }
  }

  /** A turn threw: count the try; after the last one, set the item aside as a dead letter and apologise. */
  private async failed(key: string, item: StoredInbound, error: unknown): Promise<void> {
    const giveUp = item.attempts + 1 >= this.maxTries;
    // A short pause before the next try, so a passing database hiccup does not use up every try.
    if (!giveUp) await pause(100 * (item.attempts + 1));
    this.o.logger.error(
      { err: errorSummary(error), conversation: this.o.pseudonym(key), inbound: item.id, giveUp },
      'turn failed',
    );
    const now = this.o.clock.now();
    const apology = await this.o.uow.transaction(async (repos) => {
      // Not pending any more: the turn did commit and only its acknowledgement was lost; it is not run again.
      if (!(await repos.conversations.markAttemptFailed(item.id, errorSummary(error), giveUp))) return [];
      if (!giveUp) return [];
      const conversation = await repos.conversations.lockConversation(key);
      if (!conversation) return [];
      const to = { channel: conversation.channel, userId: conversation.userId };
      await repos.deadLetters.add({
        stage: 'handle',
        address: to,
        dedupeKey: `inbound:${item.id}`,
        inboundId: item.id,
        payload: JSON.stringify(item),
        error: errorSummary(error),
        attempts: item.attempts + 1,
        now,
      });
      if (item.kind !== 'message') return [];
      const { state } = restoreState(conversation.state, this.o.municipality.defaultLanguage);
      return this.addApology(repos, to, state.lang, item.id, now);
    });
    if (giveUp) this.metrics.deadLetter('handle');
    this.o.sink.deliver(apology);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One message is stored once per channel and channel message id. */
function dedupeKeyOf(message: InboundMessage): string {
  return `${message.channel}:${message.messageId}`;
}

function toOutbox<T extends FlowTypes>(output: TurnOutput<T>, self: Address, causeId: number): OutboxItem[] {
  const items: OutboxItem[] = output.messages
    .filter((m) => m.text.length > 0)
    .map((m) => ({
      kind: 'message' as const,
      to: m.to ?? self,
      text: m.text,
      ...(m.choices?.length ? { choices: m.choices } : {}),
      ...(m.author ? { author: m.author } : {}),
      causeId,
    }));
  for (const effect of output.effects) {
    if (effect.type === 'schedule') {
      items.push({
        kind: 'job',
        name: effect.name,
        data: effect.data,
        ...(effect.jobId ? { jobId: effect.jobId } : {}),
        ...(effect.runAt ? { runAt: effect.runAt } : {}),
        causeId,
      });
    } else items.push({ kind: 'cancel-job', jobId: effect.jobId, causeId });
  }
  return items;
}

/** Only a first name is kept of what a channel calls the person (to greet them in a live session). */
function firstNameOf(displayName: string | undefined): { firstName?: string } {
  const first = displayName
    ?.trim()
    .split(/\s+/)[0]
    ?.replace(/[^\p{L}'-]/gu, '')
    .slice(0, 40);
  return first ? { firstName: first } : {};
}

/** A short, body-free description of an error for logs (messages and phone numbers never go there). */
function errorSummary(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'unknown error';
}
