import { setMaxListeners } from 'node:events';
import qrcode from 'qrcode-terminal';
import type { ChannelAdapter, ChannelState, Ingress } from '../../src/ports/channel.js';
import type { InboundMessage, OutboundMessage } from '../../src/ports/messages.js';
import { KeyedMutex } from '../../src/shared/keyed-mutex.js';
import { backoffDelay, pause, type RetryPolicy } from '../common/backoff.js';
import { BoundedSet } from '../common/bounded.js';
import type { Texts } from '../../src/i18n/translator.js';
import { channelText, type ChannelLanguage } from '../common/channel-texts.js';
import { ChannelStoppedError, WrongChannelError } from '../common/errors.js';
import { loggableError, scrubDigits, silentLogger, type ChannelLogger } from '../common/logger.js';
import type { WhatsAppClientFactory, WhatsAppClientLike, WhatsAppMessageLike } from './client.js';
import { createWebJsClient } from './default-client.js';
import { DeliveryTracker, type DeliveryState } from './delivery-tracker.js';
import { UnknownRecipientError } from './errors.js';
import { isPersonalChat, toInbound } from './inbound.js';
import { renderForWhatsApp } from './render.js';
import { SendQueue, type Link } from './send-queue.js';
import { ensurePrivateDir } from './session-dir.js';

export interface WhatsAppAdapterOptions {
  /** WHATSAPP_SESSION_DIR: LocalAuth keeps the linked-device session here (mode 0700). */
  sessionDir: string;
  /** PUPPETEER_EXECUTABLE_PATH: the Chromium to drive. */
  executablePath: string;
  /** Defaults to the real whatsapp-web.js client; tests pass a fake. */
  clientFactory?: WhatsAppClientFactory;
  logger?: ChannelLogger;
  /** A sent message without any ack after this long is reported 'unconfirmed' (default 60 s). */
  unconfirmedAfterMs?: number;
  /** Delivery news for a sent message, keyed by OutboundMessage.id (the outbox id). */
  onDelivery?: (outboundId: string, state: DeliveryState) => void;
  /** Asked when an id is not among those that wrote since start: "did this id write to us?" (DB). */
  knownContact?: (userId: string) => Promise<boolean>;
  /** The service's texts (the hint under a numbered list comes from channels.json). */
  texts: Texts;
  /** Language of the hint under a numbered list (default 'nl'). */
  language?: ChannelLanguage;
  /** Shows the login QR; defaults to qrcode-terminal on stderr (never stdout). */
  printQr?: (qr: string) => void;
  /** Backoff between re-initialisations (default 2 s doubling to 60 s). */
  retry?: Partial<RetryPolicy>;
  /** A sendMessage that does not return in this time counts as failed (default 60 s). */
  sendTimeoutMs?: number;
}

/** Inbound hand-over to the ingress is tried this often before it is given up (and logged). */
const INGRESS_ATTEMPTS = 5;

/** Creates the WhatsApp adapter (whatsapp-web.js); nothing starts before `start`. */
export function createWhatsAppAdapter(options: WhatsAppAdapterOptions): ChannelAdapter {
  return new WhatsAppChannel(options);
}

class WhatsAppChannel implements ChannelAdapter {
  readonly name = 'whatsapp';
  private current: ChannelState = 'starting';
  private ingress: Ingress | undefined;
  private client: WhatsAppClientLike | undefined;
  /** Bumped for each client; events of an older client are ignored. */
  private generation = 0;
  private failures = 0;
  private reconnect: NodeJS.Timeout | undefined;
  private readonly queue: SendQueue;
  /** The client while 'ready'; the send queue only sends on this one. */
  private link: Link | undefined;
  /** Ids that wrote to this number since start; the engine's knownContact covers the rest. */
  private readonly known = new BoundedSet<string>(100_000);
  private readonly inboundOrder = new KeyedMutex();
  private readonly stopping = new AbortController();
  private readonly delivery: DeliveryTracker;
  private readonly logger: ChannelLogger;
  private readonly retry: RetryPolicy;
  private readonly hint: string;

  constructor(private readonly options: WhatsAppAdapterOptions) {
    this.logger = options.logger ?? silentLogger;
    this.retry = { initialMs: 2000, maxMs: 60_000, ...options.retry };
    this.hint = channelText(options.texts, options.language ?? 'nl', 'whatsapp.choice-hint');
    this.delivery = new DeliveryTracker({
      unconfirmedAfterMs: options.unconfirmedAfterMs ?? 60_000,
      onDelivery: options.onDelivery,
      logger: this.logger,
    });
    setMaxListeners(0, this.stopping.signal);
    this.queue = new SendQueue({
      currentLink: () => (this.current === 'ready' ? this.link : undefined),
      linkLost: (link, err) => this.lost(link.generation, 'send failed while the link was down', err),
      accepted: (whatsappId, outboundId) => this.delivery.track(whatsappId, outboundId),
      sendTimeoutMs: options.sendTimeoutMs ?? 60_000,
    });
  }

  state(): ChannelState {
    return this.current;
  }

  /** Resolves once the client is being set up; state() then tells 'needs-qr' or 'ready'. */
  async start(ingress: Ingress): Promise<void> {
    if (this.ingress) throw new Error('whatsapp adapter already started');
    this.ingress = ingress;
    this.setState('starting');
    await ensurePrivateDir(this.options.sessionDir);
    void this.boot();
  }

  async send(message: OutboundMessage): Promise<void> {
    if (this.current === 'stopped') throw new ChannelStoppedError('whatsapp');
    if (message.to.channel !== 'whatsapp') throw new WrongChannelError('whatsapp', message.to.channel);
    // Queued at once, so messages go out in the order send() was called, whatever the checks cost.
    const chatId = message.to.userId;
    const item = this.queue.add(
      chatId,
      renderForWhatsApp(message, this.hint),
      message.id,
      this.mayWriteTo(chatId),
    );
    let allowed: boolean;
    try {
      allowed = await item.allowed;
    } catch (err) {
      this.queue.remove(item);
      throw err;
    }
    if (!allowed) {
      this.queue.remove(item);
      throw new UnknownRecipientError();
    }
    void this.queue.drain();
    return item.done;
  }

  async stop(): Promise<void> {
    if (this.current === 'stopped') return;
    this.setState('stopped');
    this.generation += 1;
    this.stopping.abort();
    clearTimeout(this.reconnect);
    this.queue.rejectAll(new ChannelStoppedError('whatsapp'));
    this.delivery.stop();
    const client = this.client;
    this.client = undefined;
    this.link = undefined;
    if (client) await this.discard(client);
  }

  /** Builds a client and initialises it; any failure leads to `lost`, which tries again later. */
  private async boot(): Promise<void> {
    const generation = ++this.generation;
    const factory = this.options.clientFactory ?? createWebJsClient;
    let client: WhatsAppClientLike;
    try {
      client = await factory({
        sessionDir: this.options.sessionDir,
        executablePath: this.options.executablePath,
      });
    } catch (err) {
      this.lost(generation, 'client could not be created', err);
      return;
    }
    if (generation !== this.generation) {
      await this.discard(client);
      return;
    }
    this.client = client;
    this.listen(client, generation);
    try {
      await client.initialize();
    } catch (err) {
      this.lost(generation, 'initialize failed', err);
    }
  }

  private listen(client: WhatsAppClientLike, generation: number): void {
    const live = (): boolean => generation === this.generation;
    client.on('qr', (qr) => {
      if (!live()) return;
      this.setState('needs-qr');
      (this.options.printQr ?? printQrToStderr)(qr);
    });
    client.on('authenticated', () => {
      if (live()) this.logger.info({ channel: 'whatsapp' }, 'whatsapp: authenticated');
    });
    client.on('ready', () => {
      if (!live()) return;
      this.failures = 0;
      this.link = { client, generation };
      this.setState('ready');
      void this.queue.drain();
    });
    client.on('message', (message) => {
      if (live()) this.onMessage(message);
    });
    client.on('message_ack', (message, ack) => this.delivery.ack(message.id._serialized, ack));
    client.on('disconnected', (reason) =>
      this.lost(generation, `disconnected: ${scrubDigits(String(reason))}`),
    );
    client.on('auth_failure', () => this.lost(generation, 'authentication failed'));
  }

  /** The link is gone: drop this client and build a new one after a backoff; queued sends wait. */
  private lost(generation: number, why: string, err?: unknown): void {
    if (generation !== this.generation || this.current === 'stopped') return;
    this.generation += 1;
    const old = this.client;
    this.client = undefined;
    this.link = undefined;
    if (old) void this.discard(old);
    this.setState('disconnected');
    const delay = backoffDelay(this.failures++, this.retry);
    const details = err === undefined ? {} : { err: loggableError(err) };
    this.logger.warn(
      { channel: 'whatsapp', why, retryInMs: delay, ...details },
      'whatsapp: link lost; re-initialising',
    );
    this.reconnect = setTimeout(() => void this.boot(), delay);
  }

  private async discard(client: WhatsAppClientLike): Promise<void> {
    client.removeAllListeners();
    try {
      await client.destroy();
    } catch (err) {
      this.logger.debug({ err: loggableError(err) }, 'whatsapp: destroying the old client failed');
    }
  }

  private onMessage(message: WhatsAppMessageLike): void {
    const inbound = toInbound(message);
    if (!inbound) return;
    this.known.add(inbound.userId);
    // One sender's messages reach the ingress in the order they came.
    void this.inboundOrder.run(inbound.userId, () => this.handIn(inbound));
  }

  /** WhatsApp does not deliver a message twice, so the ingress is retried here a few times. */
  private async handIn(inbound: InboundMessage): Promise<void> {
    for (let attempt = 0; attempt < INGRESS_ATTEMPTS; attempt++) {
      try {
        await this.ingress?.receive(inbound);
        return;
      } catch (err) {
        this.logger.warn(
          { err: loggableError(err), attempt },
          'whatsapp: ingress refused a message; retrying',
        );
        if (!(await pause(backoffDelay(attempt, { initialMs: 200, maxMs: 5000 }), this.stopping.signal)))
          return;
      }
    }
    this.logger.error(
      { channel: 'whatsapp' },
      'whatsapp: a message could not be handed to the ingress; given up',
    );
  }

  /** Only people who wrote to this number first: seen since start, or known to the engine. */
  private async mayWriteTo(chatId: string): Promise<boolean> {
    if (!isPersonalChat(chatId)) return false;
    if (this.known.has(chatId)) return true;
    const known = (await this.options.knownContact?.(chatId)) ?? false;
    if (known) this.known.add(chatId);
    return known;
  }

  private setState(next: ChannelState): void {
    if (next === this.current) return;
    this.logger.info({ channel: 'whatsapp', from: this.current, to: next }, 'channel state');
    this.current = next;
  }
}

/** The operator scans this with the municipality's phone; stderr, so stdout stays clean for logs. */
function printQrToStderr(qr: string): void {
  qrcode.generate(qr, { small: true }, (art) => {
    process.stderr.write(`WhatsApp: scan this code on the phone (Settings > Linked devices):\n${art}\n`);
  });
}
