import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { FastifyInstance } from 'fastify';
import type { Texts, Language } from '../../src/i18n/translator.js';
import type { ChannelAdapter, ChannelState, Ingress } from '../../src/ports/channel.js';
import { PermanentDeliveryError } from '../../src/ports/channel.js';
import type { Choice, InboundMessage, OutboundMessage } from '../../src/ports/messages.js';
import type { Clock } from '../../src/shared/clock.js';
import { KeyedMutex } from '../../src/shared/keyed-mutex.js';
import { BoundedMap } from '../common/bounded.js';
import { channelText } from '../common/channel-texts.js';
import { ChannelStoppedError, WrongChannelError } from '../common/errors.js';
import { loggableError, silentLogger, type ChannelLogger } from '../common/logger.js';
import { GraphError, REENGAGEMENT, UndeliverableError, verdictOf } from './errors.js';
import { GraphClient, type GraphClientOptions, type GraphMessage } from './graph-client.js';
import { readWebhook, waIdOf, type StatusUpdate, type WebhookContent } from './inbound.js';
import { Pacer } from './pacer.js';
import { renderForCloud, type RenderContext } from './render.js';
import { DEFAULT_RETRY, postWithRetry, type CloudRetryPolicy } from './sender.js';
import type { CloudStore } from './store.js';
import type { TemplateSet } from './templates.js';
import { CustomerWindows } from './window.js';
import { mountCloudWebhook } from './webhook-route.js';

export interface WhatsAppCloudOptions {
  graph: GraphClientOptions;
  /** WHATSAPP_CLOUD_APP_SECRET: the key of every webhook's X-Hub-Signature-256. */
  appSecret: string;
  /** WHATSAPP_CLOUD_VERIFY_TOKEN: what Meta sends in the verification handshake. */
  verifyToken: string;
  store: CloudStore;
  templates: TemplateSet;
  municipality: { name: string; timeZone: string; defaultLanguage: Language };
  texts: Texts;
  clock: Clock;
  /** WHATSAPP_CLOUD_MESSAGES_PER_SECOND: the number's throughput (default 80). */
  messagesPerSecond?: number;
  retry?: Partial<CloudRetryPolicy>;
  /** The window is taken to close this much before 24 h (clocks differ; default 10 minutes). */
  windowMarginMs?: number;
  /** Where the webhook lives (default /whatsapp/webhook). */
  path?: string;
  logger?: ChannelLogger;
}

/** The WhatsApp adapter on the official WhatsApp Business Platform (Cloud API). */
export type WhatsAppCloudAdapter = ChannelAdapter & { routes(server: FastifyInstance): void };

/** Creates the Cloud API adapter; its webhook is mounted through `routes`. */
export function createWhatsAppCloudAdapter(options: WhatsAppCloudOptions): WhatsAppCloudAdapter {
  return new WhatsAppCloudChannel(options);
}

class WhatsAppCloudChannel implements WhatsAppCloudAdapter {
  readonly name = 'whatsapp';
  private current: ChannelState = 'starting';
  private ingress: Ingress | undefined;
  private readonly graph: GraphClient;
  private readonly pacer: Pacer;
  private readonly retry: CloudRetryPolicy;
  private readonly logger: ChannelLogger;
  private readonly stopping = new AbortController();
  /** One lane per resident: held messages, sends and retries in order. */
  private readonly lanes = new KeyedMutex();
  private readonly inboundOrder = new KeyedMutex();
  private readonly handling = new Set<Promise<void>>();
  private readonly windows: CustomerWindows;
  /** Residents known to have nothing held (this process is the only one that holds for this number). */
  private readonly nothingHeld = new BoundedMap<string, true>(200_000);
  /** The last template each resident got while messages wait for them: one notice, one template. */
  private readonly templated = new BoundedMap<string, string>(200_000);
  /** WhatsApp's message id → the outbox item and message, for statuses and a late 131047. */
  private readonly sent = new BoundedMap<
    string,
    { userId: string; outboxId?: number; message?: OutboundMessage }
  >(100_000);
  /** Short ids for choice ids too long for WhatsApp, and the full labels of offered choices. */
  private readonly choices = new BoundedMap<string, Choice>(100_000);
  private readonly render: (message: OutboundMessage) => GraphMessage[];

  constructor(private readonly o: WhatsAppCloudOptions) {
    this.graph = new GraphClient(o.graph);
    this.pacer = new Pacer(o.messagesPerSecond ?? 80);
    this.retry = { ...DEFAULT_RETRY, ...o.retry };
    this.logger = o.logger ?? silentLogger;
    this.windows = new CustomerWindows(
      o.clock,
      (userId) => o.store.lastMessageAt(userId),
      o.windowMarginMs ?? 10 * 60_000,
    );
    setMaxListeners(0, this.stopping.signal);
    const lang = o.municipality.defaultLanguage;
    const context: RenderContext = {
      listButton: channelText(o.texts, lang, 'whatsapp.list-button'),
      choiceHint: channelText(o.texts, lang, 'whatsapp.choice-hint'),
      shortId: (choice) => {
        const id = `~${createHash('sha256').update(choice.id).digest('base64url').slice(0, 22)}`;
        this.choices.set(id, choice);
        return id;
      },
    };
    this.render = (message) => {
      for (const choice of message.choices ?? []) this.choices.set(choice.id, choice);
      return renderForCloud(message, context);
    };
  }

  state(): ChannelState {
    return this.current;
  }

  async start(ingress: Ingress): Promise<void> {
    if (this.ingress) throw new Error('whatsapp cloud adapter already started');
    this.ingress = ingress;
    this.current = 'ready';
    return Promise.resolve();
  }

  routes(server: FastifyInstance): void {
    mountCloudWebhook(server, {
      path: this.o.path ?? '/whatsapp/webhook',
      appSecret: this.o.appSecret,
      verifyToken: this.o.verifyToken,
      accepting: () => this.current === 'ready',
      handle: (body) => this.onWebhook(readWebhook(body, this.o.graph.phoneNumberId)),
      logger: this.logger,
    });
  }

  async send(message: OutboundMessage): Promise<void> {
    if (this.current === 'stopped') throw new ChannelStoppedError('whatsapp');
    if (message.to.channel !== 'whatsapp') throw new WrongChannelError('whatsapp', message.to.channel);
    const to = waIdOf(message.to.userId);
    if (!to) throw new PermanentDeliveryError('whatsapp cloud: not a WhatsApp number');
    await this.lanes.run(message.to.userId, () => this.deliver(to, message));
  }

  async stop(): Promise<void> {
    this.current = 'stopped';
    this.stopping.abort();
    // Messages stored but still being handled finish first (the database closes after the channels).
    await Promise.allSettled([...this.handling]);
  }

  /** Free-form inside the window; a template (and the full text held) outside it or after 131047. */
  private async deliver(to: string, message: OutboundMessage): Promise<void> {
    const userId = message.to.userId;
    if (await this.windows.isOpen(userId)) {
      try {
        await this.sendFree(to, message);
        return;
      } catch (err) {
        if (verdictOf(err) !== 'template') throw asDeliveryError(err);
        this.windows.close(userId);
        this.logger.info(
          { err: loggableError(err) },
          'whatsapp cloud: window closed (131047); sending a template',
        );
      }
    }
    await this.sendAsTemplate(to, message);
  }

  private async sendFree(to: string, message: OutboundMessage): Promise<void> {
    const outboxId = outboxIdOf(message);
    for (const part of this.render(message)) {
      const id = await this.post(to, part);
      this.sent.set(id, { userId: message.to.userId, ...(outboxId ? { outboxId } : {}), message });
    }
  }

  /** Holds the full text for when the resident writes, then sends the notice's approved template. */
  private async sendAsTemplate(to: string, message: OutboundMessage): Promise<void> {
    const userId = message.to.userId;
    const outboxId = outboxIdOf(message) ?? null;
    this.nothingHeld.delete(userId);
    await this.o.store.hold(userId, outboxId, { text: message.text, ...choicesOf(message) });
    const notice = outboxId === null ? null : await this.o.store.noticeOf(outboxId);
    const lang = (await this.o.store.languageOf(userId)) ?? this.o.municipality.defaultLanguage;
    const template = this.o.templates.build(notice, lang, {
      municipality: this.o.municipality.name,
      timeZone: this.o.municipality.timeZone,
      now: this.o.clock.now(),
    });
    // The same notice again (an answer in two messages): held with the first, no second template.
    const key = JSON.stringify(template);
    if (this.templated.get(userId) === key) return;
    try {
      const id = await this.post(to, { type: 'template', template });
      this.templated.set(userId, key);
      this.sent.set(id, { userId, ...(outboxId ? { outboxId } : {}) });
    } catch (err) {
      // A template refused for good (not approved, wrong parameters): the held text still goes once they write.
      throw verdictOf(err) === 'template' ? new UndeliverableError(err as GraphError) : asDeliveryError(err);
    }
    if (outboxId) void this.record(outboxId, 'template');
  }

  private post(to: string, message: GraphMessage): Promise<string> {
    return postWithRetry(
      {
        graph: this.graph,
        pacer: this.pacer,
        retry: this.retry,
        logger: this.logger,
        signal: this.stopping.signal,
      },
      to,
      message,
    );
  }

  private async onWebhook(content: WebhookContent): Promise<void> {
    for (const status of content.statuses) this.onStatus(status);
    const byUser = new Map<string, WebhookContent['messages']>();
    for (const m of content.messages) byUser.set(m.userId, [...(byUser.get(m.userId) ?? []), m]);
    await Promise.all(
      [...byUser].map(([userId, messages]) =>
        this.inboundOrder.run(userId, async () => {
          for (const m of messages) await this.handIn(m);
        }),
      ),
    );
  }

  /** The resident wrote: the window is open, held messages go first, then the message is handled. */
  private async handIn(m: WebhookContent['messages'][number]): Promise<void> {
    if (!this.ingress) throw new ChannelStoppedError('whatsapp');
    this.windows.wrote(m.userId);
    this.templated.delete(m.userId);
    // Queued on the resident's lane now, so it goes before any reply to this message.
    void this.lanes.run(m.userId, () => this.sendHeld(m.userId));
    const { reply, ...rest } = m;
    const inbound: InboundMessage = { ...rest };
    if (reply) {
      const choice = this.choices.get(reply.id);
      if (choice) Object.assign(inbound, { choiceId: choice.id, text: choice.label });
      else if (!reply.id.startsWith('~')) inbound.choiceId = reply.id;
    }
    // The webhook answers once the message is stored; handling goes on (Meta's retries are deduplicated).
    const ingress = this.ingress;
    await new Promise<void>((resolve, reject) => {
      const handling = ingress.receive(inbound, { stored: resolve }).then(resolve, (err: unknown) => {
        reject(err instanceof Error ? err : new Error(String(err)));
        this.logger.error({ err: loggableError(err) }, 'whatsapp cloud: a message could not be handled');
      });
      this.handling.add(handling);
      void handling.finally(() => this.handling.delete(handling));
    });
  }

  private async sendHeld(userId: string): Promise<void> {
    const to = waIdOf(userId);
    if (!to || this.nothingHeld.has(userId)) return;
    try {
      const waiting = await this.o.store.heldFor(userId);
      if (waiting.length === 0) this.nothingHeld.set(userId, true);
      for (const held of waiting) {
        const message: OutboundMessage = {
          to: held.to,
          text: held.text,
          ...(held.choices ? { choices: held.choices } : {}),
          ...(held.outboxId ? { id: String(held.outboxId) } : {}),
        };
        await this.sendFree(to, message);
        await this.o.store.release(held.id);
      }
    } catch (err) {
      // Kept in the database: the next message from this resident tries again.
      this.logger.warn({ err: loggableError(err) }, 'whatsapp cloud: a held message could not be sent yet');
    }
  }

  private onStatus(status: StatusUpdate): void {
    const sent = this.sent.get(status.messageId);
    if (!sent) return;
    if (sent.outboxId) void this.record(sent.outboxId, status.status);
    // 131047 can also come later, as a failed status: the message then goes as a template after all.
    if (status.status === 'failed' && status.errorCode === REENGAGEMENT && sent.message) {
      const message = sent.message;
      this.sent.delete(status.messageId);
      this.windows.close(sent.userId);
      const to = waIdOf(sent.userId)!;
      void this.lanes
        .run(sent.userId, () => this.sendAsTemplate(to, message))
        .catch((err: unknown) =>
          this.logger.error({ err: loggableError(err) }, 'whatsapp cloud: template failed'),
        );
    }
  }

  private async record(outboxId: number, state: string): Promise<void> {
    try {
      await this.o.store.deliveryState(outboxId, state);
    } catch (err) {
      this.logger.warn({ err: loggableError(err) }, 'whatsapp cloud: could not record a delivery state');
    }
  }
}

function outboxIdOf(message: OutboundMessage): number | undefined {
  const id = Number(message.id);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

function choicesOf(message: OutboundMessage): { choices?: Choice[] } {
  return message.choices?.length ? { choices: message.choices } : {};
}

/** Permanent refusals become PermanentDeliveryError (set aside, shown); others go back to the outbox. */
function asDeliveryError(err: unknown): unknown {
  return err instanceof GraphError && verdictOf(err) === 'permanent' ? new UndeliverableError(err) : err;
}
