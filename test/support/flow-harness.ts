import { flowSet } from '../../flows/index.js';
import type { ConversationEvents, ConversationTypes, Effect, UserInput } from '../../flows/types.js';
import type { StepRef } from '../../src/engine/state.js';
import { toInput } from '../../src/engine/input.js';
import { restoreState, type ConversationState } from '../../src/engine/state.js';
import {
  resumeTurn,
  startTurn,
  type TurnEnvironment,
  type TurnEvent,
  type TurnOutput,
} from '../../src/engine/transition.js';
import type { Services } from '../../src/features/index.js';
import { translator, type Language, type Translate } from '../../src/i18n/translator.js';
import { loadMunicipality, type Municipality } from '../../src/municipality/municipality.js';
import type { Author, Choice } from '../../src/ports/messages.js';
import type {
  ArgsOf,
  ResultOf,
  ServiceEnvironment,
  ServiceResult,
  StaffIdentity,
} from '../../src/ports/services.js';
import { conversationKey, type Address } from '../../src/shared/address.js';
import { ManualClock } from '../../src/shared/clock.js';
import { DomainError } from '../../src/shared/errors.js';
import { shippedTexts } from './texts.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';

/**
 * Runs the real flows through the engine's pure turn functions (`startTurn`, `resumeTurn`) as
 * `src/engine/engine.ts` does, but in memory: a manual clock, fake services, no database, no queue.
 *
 *     const h = flowHarness({ services: { 'cases.mine': () => [] } });
 *     const anna = h.chat('anna');
 *     expect(anna.send('hoi').text).toContain(h.t('core.menu.hello'));
 *     anna.send('mijn vragen');                      // calls the fake 'cases.mine'
 *     const turn = anna.send('vraag');                // a service without a fake makes the turn wait:
 *     expect(turn.waiting).toEqual({ service: 'cases.create', args: {...} });
 *     anna.resolve('cases.create', view);             // ...until the test gives its result (typed)
 *     h.advance(2 * 60_000);                          // due conversation events run
 *
 * Each turn's state goes through JSON and `restoreState`, as it does through the database.
 */

/** Every service name a flow may call. */
export type ServiceName = Extract<keyof Services, string>;

/** A fake of one service: the real service's arguments in, its result out. Throw a DomainError to refuse. */
export type FakeService<K extends ServiceName> = (
  args: ArgsOf<Services, K>,
  env: ServiceEnvironment,
) => ResultOf<Services, K>;

/** Fakes by service name, each checked against the real service's types. */
export type FakeServices = { [K in ServiceName]?: FakeService<K> };

/** A service call a flow made, with its typed arguments and who made it. */
export type ServiceCall = {
  [K in ServiceName]: { service: K; args: ArgsOf<Services, K>; by: string };
}[ServiceName];

/** A message the service sent. */
export interface Sent {
  to: Address;
  text: string;
  choices?: Choice[];
  /** Set when a person wrote it (an operator, an alderman), as the engine stores it. */
  author?: Author;
}

/** A job a turn put on the queue, with when it runs and what became of it. */
export type ScheduledJob = Extract<Effect, { type: 'schedule' }> & {
  at: number;
  state: 'waiting' | 'done' | 'cancelled';
};

/** What one turn caused. */
export interface Turn {
  /** The messages to this conversation. */
  replies: Sent[];
  /** Every message the turn sent, also to others (a live partner). */
  sent: Sent[];
  /** The replies' texts, one a line. */
  text: string;
  /** The choices of the last reply that offered some. */
  choices: Choice[];
  effects: Effect[];
  calls: ServiceCall[];
  flags: { needsHuman?: boolean };
  /** Set while the turn waits for the outcome of a service that has no fake: `resolve` or `refuse` it. */
  waiting?: ServiceCall;
}

export interface HarnessOptions {
  /** The clock's start (default Tuesday 1 December 2026, 10:00 in Rijswijk: office hours). */
  now?: Date | string;
  services?: FakeServices;
  /** Changes to the shipped Rijswijk data for one test (e.g. a district less). */
  municipality?: (m: Municipality) => Municipality;
  idleMs?: number;
  rateLimit?: { messages: number; perMs: number };
}

export interface ChatOptions {
  channel?: string;
  /** A linked alderman (the engine reads this from the staff repository each turn). */
  staff?: StaffIdentity;
  /** The first name the channel gives with each message. */
  firstName?: string;
}

const shippedMunicipality = loadMunicipality('data');
const shippedVocabulary = loadVocabulary('data/vocabulary');
const DEFAULT_START = '2026-12-01T09:00:00Z';
const MAX_CALLS = 10;

interface Paused {
  chat: Chat;
  env: TurnEnvironment<ConversationTypes>;
  serviceEnv: ServiceEnvironment;
  output: TurnOutput<ConversationTypes>;
  calls: ServiceCall[];
  done: (turn: Turn) => void;
}

/** A world of conversations sharing one clock, one set of fake services and one queue. */
export class FlowHarness {
  readonly clock: ManualClock;
  readonly municipality: Municipality;
  /** Every service call, in order. */
  readonly calls: ServiceCall[] = [];
  /** Every job a turn scheduled, in order. */
  readonly jobs: ScheduledJob[] = [];
  /** Every message sent, in order. */
  readonly sent: Sent[] = [];
  private readonly services: FakeServices;
  private readonly chats = new Map<string, Chat>();
  private paused: Paused | undefined;
  private inboundIds = 0;

  constructor(private readonly options: HarnessOptions = {}) {
    this.clock = new ManualClock(options.now ?? DEFAULT_START);
    const m = structuredClone(shippedMunicipality);
    this.municipality = options.municipality ? options.municipality(m) : m;
    // A resident has no appointments unless a test says so (the stop question lists them); joining
    // the webcare queue has no outcome a flow reads: faked unless a test records it.
    this.services = {
      'bookings.upcoming': () => [],
      'cases.mine': () => [],
      'webcare.request': () => ({}),
      ...options.services,
    };
  }

  /** The conversation of one person (made on first use); a plain id is a console user. */
  chat(who: string | Address, options: ChatOptions = {}): Chat {
    const address = typeof who === 'string' ? { channel: options.channel ?? 'console', userId: who } : who;
    const key = conversationKey(address);
    let chat = this.chats.get(key);
    if (!chat) {
      chat = new Chat(this, address);
      this.chats.set(key, chat);
    }
    if (options.staff) chat.staff = options.staff;
    if (options.firstName) chat.firstName = options.firstName;
    return chat;
  }

  /** Sets (or replaces) the fake of one service. */
  serve<K extends ServiceName>(name: K, fake: FakeService<K>): this {
    // The mapped type pairs each name with its own fake; TypeScript cannot see that through `K`.
    Object.assign(this.services, { [name]: fake });
    return this;
  }

  /** Removes a service's fake: its next call makes the turn wait for `resolve` or `refuse`. */
  unserve(name: ServiceName): this {
    Object.assign(this.services, { [name]: undefined });
    return this;
  }

  /** A text as residents read it, to compare with what was sent. */
  t: Translate = (key, ...vars) => translator(shippedTexts, this.municipality.defaultLanguage)(key, ...vars);

  /** The texts of one language. */
  tIn(lang: Language): Translate {
    return translator(shippedTexts, lang);
  }

  /** Moves the clock and runs the conversation events that came due, as the queue would. */
  advance(ms: number): Sent[] {
    this.clock.advance(ms);
    return this.runDue();
  }

  /** Sets the clock to an instant (never backwards) and runs what came due. */
  advanceTo(at: Date | string): Sent[] {
    const target = new Date(at).getTime();
    if (target < this.clock.now().getTime()) throw new Error('the clock does not go back');
    return this.advance(target - this.clock.now().getTime());
  }

  /** The jobs still waiting, optionally of one name. */
  waitingJobs(name?: ScheduledJob['name']): ScheduledJob[] {
    return this.jobs.filter((j) => j.state === 'waiting' && (name === undefined || j.name === name));
  }

  /**
   * Runs waiting `conversation.event` jobs that are due (earliest first), each as a turn of the
   * conversation it is for. Other jobs (reminders, routing) belong to features and only wait here.
   */
  runDue(): Sent[] {
    const before = this.sent.length;
    for (;;) {
      if (this.paused) break;
      const now = this.clock.now().getTime();
      const due = this.waitingJobs('conversation.event')
        .filter((j) => j.at <= now)
        .sort((a, b) => a.at - b.at)[0];
      if (!due || due.name !== 'conversation.event') break;
      due.state = 'done';
      const { address, name, payload, eventId } = due.data;
      this.chat(address).deliver(name, payload, eventId);
    }
    return this.sent.slice(before);
  }

  /** @internal Runs one turn as the engine does: start, then call → service → resume until done. */
  runTurn(chat: Chat, event: TurnEvent): Turn {
    if (this.paused) {
      const { service, by } = this.paused.calls.at(-1) ?? { service: '?', by: '?' };
      throw new Error(`a turn of ${by} still waits for "${service}": resolve or refuse it first`);
    }
    const now = this.clock.now();
    const { state } = restoreState(chat.stored, this.municipality.defaultLanguage);
    const env: TurnEnvironment<ConversationTypes> = {
      flows: flowSet,
      texts: shippedTexts,
      municipality: this.municipality,
      address: chat.address,
      now,
      idleMs: this.options.idleMs ?? 30 * 60_000,
      ...(this.options.rateLimit ? { rateLimit: this.options.rateLimit } : {}),
      ...(chat.staff ? { staff: chat.staff } : {}),
      ...(event.kind === 'message' ? { input: event.input } : {}),
    };
    const serviceEnv: ServiceEnvironment = {
      now,
      address: chat.address,
      municipality: this.municipality,
      inboundId: ++this.inboundIds,
      ...(chat.staff ? { staff: chat.staff } : {}),
    };
    let finished: Turn | undefined;
    this.proceed({
      chat,
      env,
      serviceEnv,
      output: startTurn(env, state, event),
      calls: [],
      done: (turn) => (finished = turn),
    });
    return finished ?? this.waitingTurn();
  }

  /** @internal Continues the waiting turn with a service's outcome. */
  answer(chat: Chat, service: ServiceName, result: ServiceResult<unknown>): Turn {
    const paused = this.paused;
    const waiting = paused?.calls.at(-1);
    if (!paused || !waiting || paused.chat !== chat)
      throw new Error(`no turn of ${chat.key} waits for a service`);
    if (waiting.service !== service)
      throw new Error(`the turn waits for "${waiting.service}", not "${service}"`);
    this.paused = undefined;
    let finished: Turn | undefined;
    const output = resumeTurn(paused.env, paused.output, result);
    this.proceed({ ...paused, output, done: (turn) => (finished = turn) });
    return finished ?? this.waitingTurn();
  }

  private waitingTurn(): Turn {
    const paused = this.paused;
    if (!paused) throw new Error('no turn waits');
    return { ...this.outcome(paused.chat, paused.output, paused.calls), waiting: paused.calls.at(-1) };
  }

  private proceed(run: Paused): void {
    let output = run.output;
    while (output.call) {
      if (run.calls.length >= MAX_CALLS) throw new Error('flow loop: more than 10 service calls in one turn');
      const { service, args } = output.call;
      // The flow's `call` checked these arguments against this very service when it was compiled.
      const made = { service, args, by: run.chat.key } as ServiceCall;
      run.calls.push(made);
      this.calls.push(made);
      const fake = this.services[made.service] as
        ((args: unknown, env: ServiceEnvironment) => unknown) | undefined;
      if (!fake) {
        this.paused = { ...run, output };
        return;
      }
      output = resumeTurn(run.env, output, invoke(fake, args, run.serviceEnv));
    }
    run.done(this.commit(run.chat, output, run.calls));
  }

  /** Saves the state (through JSON, as the database does) and carries out messages and jobs. */
  private commit(chat: Chat, output: TurnOutput<ConversationTypes>, calls: ServiceCall[]): Turn {
    chat.stored = JSON.parse(JSON.stringify(output.state));
    chat.flags = { ...chat.flags, ...output.flags };
    const turn = this.outcome(chat, output, calls);
    this.sent.push(...turn.sent);
    for (const m of turn.sent) this.chat(m.to).received.push(m);
    const now = this.clock.now().getTime();
    for (const effect of output.effects) {
      if (effect.type === 'cancel-job') {
        for (const job of this.jobs)
          if (job.jobId === effect.jobId && job.state === 'waiting') job.state = 'cancelled';
        continue;
      }
      // A job id is idempotent on both queue drivers: a second job with a waiting one's id is dropped.
      if (effect.jobId && this.jobs.some((j) => j.jobId === effect.jobId && j.state === 'waiting')) continue;
      this.jobs.push({ ...effect, at: effect.runAt?.getTime() ?? now, state: 'waiting' });
    }
    this.runDue();
    return turn;
  }

  private outcome(chat: Chat, output: TurnOutput<ConversationTypes>, calls: ServiceCall[]): Turn {
    // As the engine's outbox: empty texts are not sent; `to` absent means this conversation.
    const sent: Sent[] = output.messages
      .filter((m) => m.text.length > 0)
      .map((m) => ({
        to: m.to ?? chat.address,
        text: m.text,
        ...(m.choices?.length ? { choices: m.choices } : {}),
        ...(m.author ? { author: m.author } : {}),
      }));
    const replies = sent.filter((m) => conversationKey(m.to) === chat.key);
    return {
      replies,
      sent,
      text: replies.map((m) => m.text).join('\n'),
      choices: replies.findLast((m) => m.choices?.length)?.choices ?? [],
      effects: output.effects,
      calls: [...calls],
      flags: output.flags,
    };
  }
}

/** Runs a fake as the engine runs a service: a DomainError is the flow's `{ ok: false, code }`. */
function invoke(
  fake: (args: unknown, env: ServiceEnvironment) => unknown,
  args: unknown,
  env: ServiceEnvironment,
): ServiceResult<unknown> {
  try {
    return { ok: true, value: fake(args, env) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, code: error.code };
    throw error;
  }
}

/** One person's conversation in the harness. */
export class Chat {
  /** The state as stored after the last turn (plain JSON). */
  stored: unknown;
  staff: StaffIdentity | undefined;
  firstName: string | undefined;
  flags: { needsHuman?: boolean } = {};
  /** Every message sent to this person, in order. */
  readonly received: Sent[] = [];
  private readonly events = new Set<string>();

  constructor(
    private readonly harness: FlowHarness,
    readonly address: Address,
  ) {}

  get key(): string {
    return conversationKey(this.address);
  }

  /** The conversation's state now. */
  get state(): ConversationState {
    return restoreState(this.stored, this.harness.municipality.defaultLanguage).state;
  }

  /** Where the conversation is: `flow/step`, or undefined between flows. */
  get at(): string | undefined {
    const at: StepRef | undefined = this.state.at;
    return at ? `${at.flow}/${at.step}` : undefined;
  }

  /** The last message this person received. */
  get last(): Sent | undefined {
    return this.received.at(-1);
  }

  /** The person types a message (matched to the last choices offered, as the engine does). */
  send(text: string, options: { media?: boolean } = {}): Turn {
    const input = toInput(
      shippedVocabulary,
      text,
      options.media ?? false,
      this.state.choices,
      undefined,
      this.firstName,
      this.state.earlier,
    );
    return this.message(input);
  }

  /** The person presses a button of the last choices offered: by id, or by label (a RegExp or exact text). */
  press(which: string | RegExp): Turn {
    const choices = this.state.choices ?? [];
    const choice = choices.find((c) =>
      typeof which === 'string' ? c.id === which || c.label === which : which.test(c.label),
    );
    if (!choice) {
      const offered = choices.map((c) => `${c.id} "${c.label}"`).join(', ') || 'nothing';
      throw new Error(`${String(which)} is not among the choices offered (${offered})`);
    }
    return this.message(toInput(shippedVocabulary, '', false, choices, choice.id, this.firstName));
  }

  /** A timer or notice reaches this conversation now (as a feature's job hands it to the engine). */
  fire<K extends keyof ConversationEvents>(name: K, payload: ConversationEvents[K], eventId?: string): Turn {
    const id = eventId ?? `test:${name}:${this.harness.clock.now().getTime()}:${this.events.size}`;
    return this.deliver(name, payload, id) ?? this.emptyTurn();
  }

  /** Gives the waiting turn the result of the service it called. */
  resolve<K extends ServiceName>(service: K, value: ResultOf<Services, K>): Turn {
    return this.harness.answer(this, service, { ok: true, value });
  }

  /** The service the waiting turn called refuses, with a domain error code (`booking.taken`). */
  refuse(service: ServiceName, code: string): Turn {
    return this.harness.answer(this, service, { ok: false, code });
  }

  /** @internal An event, once per event id (the engine stores it under that id). */
  deliver(name: string, payload: object, eventId: string): Turn | undefined {
    if (this.events.has(eventId)) return undefined;
    this.events.add(eventId);
    return this.harness.runTurn(this, { kind: 'event', name, payload: { ...payload } });
  }

  private message(input: UserInput): Turn {
    return this.harness.runTurn(this, { kind: 'message', input });
  }

  private emptyTurn(): Turn {
    return { replies: [], sent: [], text: '', choices: [], effects: [], calls: [], flags: {} };
  }
}

/** A harness with the shipped Rijswijk data and the given fakes. */
export function flowHarness(options: HarnessOptions = {}): FlowHarness {
  return new FlowHarness(options);
}
