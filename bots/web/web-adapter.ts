import type { FastifyInstance } from 'fastify';
import type { ChannelAdapter, ChannelState, Ingress } from '../../src/ports/channel.js';
import type { OutboundMessage } from '../../src/ports/messages.js';
import { KeyedMutex } from '../../src/shared/keyed-mutex.js';
import { ChannelStoppedError, WrongChannelError } from '../common/errors.js';
import { loggableError, silentLogger, type ChannelLogger } from '../common/logger.js';
import { ConnectionRegistry } from './connections.js';
import type { IntakeResult, WebChatCore, WebChatLimits, WebChatOptions } from './core.js';
import { inboundMessageId, toEntries } from './history.js';
import { ResidentCookie } from './identity.js';
import { OriginPolicy } from './origins.js';
import type { ChatEntry, RefusalReason } from './protocol.js';
import { RateLimiter } from './rate-limit.js';
import { mountWebChatRoutes } from './routes.js';
import { checkWebTexts, webTranslator, type WebLanguage } from './texts.js';

export type { WebChatLimits, WebChatOptions } from './core.js';

/** The web chat: a ChannelAdapter whose HTTP routes (/chat, the widget, the sockets) mount on the server. */
export interface WebChatAdapter extends ChannelAdapter {
  routes(server: FastifyInstance): void;
  /** How many pages are connected (for the benchmark and health). */
  connections(): number;
}

/** Creates the web chat adapter; its live routes answer 503 until `start`. */
export function createWebChatAdapter(options: WebChatOptions): WebChatAdapter {
  checkWebTexts(options.texts);
  if (options.secret.length < 32) throw new Error('web chat secret: at least 32 characters');
  return new WebChannel(options);
}

const HISTORY_LIMIT = 200;

class WebChannel implements WebChatAdapter, WebChatCore {
  readonly name = 'web';
  readonly limits: WebChatLimits;
  readonly registry = new ConnectionRegistry();
  readonly origins: OriginPolicy;
  readonly cookie: ResidentCookie;
  private current: ChannelState = 'starting';
  private ingress: Ingress | undefined;
  private readonly perResident: RateLimiter;
  private readonly perAddress: RateLimiter;
  private readonly lanes = new KeyedMutex();
  private readonly logger: ChannelLogger;

  constructor(readonly options: WebChatOptions) {
    this.limits = { perResidentPerMinute: 60, perAddressPerMinute: 300, maxChars: 16_000, ...options.limits };
    this.perResident = new RateLimiter(this.limits.perResidentPerMinute);
    this.perAddress = new RateLimiter(this.limits.perAddressPerMinute);
    this.origins = new OriginPolicy(options.allowedOrigins, options.publicUrl);
    this.logger = options.logger ?? silentLogger;
    this.cookie = new ResidentCookie(options.secret);
  }

  state(): ChannelState {
    return this.current;
  }

  start(ingress: Ingress): Promise<void> {
    this.ingress = ingress;
    this.current = 'ready';
    return Promise.resolve();
  }

  /** Pushes the message to the resident's open pages; a closed page reads it from the history later. */
  send(message: OutboundMessage): Promise<void> {
    if (this.current === 'stopped') return Promise.reject(new ChannelStoppedError('web'));
    if (message.to.channel !== 'web') return Promise.reject(new WrongChannelError('web', message.to.channel));
    const entry: ChatEntry = {
      key: `s:${message.id ?? `live-${Date.now()}-${Math.random()}`}`,
      from: 'service',
      text: message.text,
      ...(message.choices?.length
        ? { choices: message.choices.map((c) => ({ id: c.id, label: c.label })) }
        : {}),
    };
    this.registry.push(message.to.userId, { type: 'message', entry });
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.current = 'stopped';
    this.registry.closeAll();
    return Promise.resolve();
  }

  routes(server: FastifyInstance): void {
    mountWebChatRoutes(server, this);
  }

  connections(): number {
    return this.registry.size;
  }

  accepting(): boolean {
    return this.ingress !== undefined && this.current === 'ready';
  }

  async take(
    residentId: string,
    address: string,
    message: { id: string; text: string; choiceId?: string },
    lang: WebLanguage,
  ): Promise<IntakeResult> {
    const t = webTranslator(this.options.texts, lang, this.options.municipality);
    const refuse = (reason: RefusalReason, vars?: Record<string, number>) =>
      ({ type: 'refused', id: message.id, reason, notice: t(`webchat.refused.${reason}`, vars) }) as const;
    // An empty message goes on: the flows answer it kindly, as on every channel.
    if (message.text.length > this.limits.maxChars)
      return refuse('too-long', { length: message.text.length, max: this.limits.maxChars });
    if (!this.perAddress.take(address)) return refuse('address-rate');
    if (!this.perResident.take(residentId)) {
      this.perAddress.refund(address);
      return refuse('rate');
    }
    const ingress = this.ingress;
    if (!ingress || this.current !== 'ready') return { type: 'retry', id: message.id };
    // Other open tabs of this resident show what was written too (the page that sent it skips its own key).
    this.registry.push(residentId, {
      type: 'message',
      entry: { key: `r:${message.id}`, from: 'resident', text: message.text },
    });
    try {
      // One resident's messages are stored one at a time, in the order they came.
      await this.lanes.run(residentId, () =>
        ingress.receive({
          channel: 'web',
          userId: residentId,
          messageId: inboundMessageId(residentId, message.id),
          text: message.text,
          ...(message.choiceId ? { choiceId: message.choiceId } : {}),
          // The page's language: a resident who first writes from the English page is answered in English.
          language: lang,
        }),
      );
      return { type: 'ack', id: message.id };
    } catch (err) {
      this.logger.warn({ err: loggableError(err) }, 'web chat: could not take a message; the page retries');
      return { type: 'retry', id: message.id };
    }
  }

  async history(residentId: string): Promise<ChatEntry[]> {
    return toEntries(await this.options.history.recent(residentId, HISTORY_LIMIT));
  }
}
