import { setMaxListeners } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { Telegraf, TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { ChannelAdapter, ChannelState, Ingress } from '../../src/ports/channel.js';
import type { OutboundMessage } from '../../src/ports/messages.js';
import { backoffDelay, pause, type RetryPolicy } from '../common/backoff.js';
import type { Texts } from '../../src/i18n/translator.js';
import { channelText, type ChannelLanguage } from '../common/channel-texts.js';
import { ChannelStoppedError, WrongChannelError } from '../common/errors.js';
import { loggableError, silentLogger, type ChannelLogger } from '../common/logger.js';
import { CallbackDataMap } from './callback-data.js';
import { BOT_COMMANDS, toInbound } from './inbound.js';
import { ALLOWED_UPDATES, pollUpdates } from './polling.js';
import { renderForTelegram } from './render.js';
import { SendPacer, type PacerLimits } from './send-pacer.js';
import { UpdateGate } from './update-gate.js';
import { mountWebhookRoute } from './webhook-route.js';

/** Webhook mode: Telegram posts updates to `url`, with `secret` in a header. */
export interface TelegramWebhookOptions {
  /** The public https URL Telegram posts to. */
  url: string;
  /** 1–256 of A–Z a–z 0–9 _ -; Telegram sends it as X-Telegram-Bot-Api-Secret-Token. */
  secret: string;
  /** The route path in our Fastify app; defaults to the path of `url`. */
  path?: string;
}

export interface TelegramAdapterOptions {
  token: string;
  /** The service's texts (the command menu's descriptions come from channels.json). */
  texts: Texts;
  /** TELEGRAM_API_ROOT: another Bot API server (a local one, or a fake in tests). */
  apiRoot?: string;
  /** Given: webhook mode. Absent: long polling. */
  webhook?: TelegramWebhookOptions;
  logger?: ChannelLogger;
  limits?: Partial<PacerLimits>;
  /** Backoff while Telegram cannot be reached (default 1 s doubling to 60 s). */
  retry?: Partial<RetryPolicy>;
  /** getUpdates long-poll timeout in seconds (default 50, as telegraf). */
  pollTimeoutSeconds?: number;
}

/** A Telegram ChannelAdapter; in webhook mode mount its route on the app before the app listens. */
export interface TelegramAdapter extends ChannelAdapter {
  mountWebhook(app: FastifyInstance): void;
}

/** Telegram refused the bot token (401/404): a configuration error, not a network hiccup. */
export class TelegramTokenRejectedError extends Error {
  constructor() {
    super('Telegram rejected the bot token (TELEGRAM_BOT_TOKEN)');
    this.name = 'TelegramTokenRejectedError';
  }
}

/** Creates the Telegram adapter (telegraf); nothing talks to Telegram before `start`. */
export function createTelegramAdapter(options: TelegramAdapterOptions): TelegramAdapter {
  return new TelegramChannel(options);
}

class TelegramChannel implements TelegramAdapter {
  readonly name = 'telegram';
  private current: ChannelState = 'starting';
  private ingress: Ingress | undefined;
  private background: Promise<void> | undefined;
  private readonly bot: Telegraf;
  private readonly stopping = new AbortController();
  private readonly callbacks = new CallbackDataMap();
  private readonly gate = new UpdateGate();
  private readonly pacer: SendPacer;
  private readonly logger: ChannelLogger;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: TelegramAdapterOptions) {
    this.logger = options.logger ?? silentLogger;
    this.retry = { initialMs: 1000, maxMs: 60_000, ...options.retry };
    const limits = { perChatIntervalMs: 1000, perChatBurst: 3, globalPerSecond: 30, ...options.limits };
    // Every waiting send listens on this signal; hundreds may wait during a 429, which is fine.
    setMaxListeners(0, this.stopping.signal);
    this.pacer = new SendPacer(limits, this.stopping.signal, this.logger);
    // webhookReply off: every call is a real request whose result we see.
    this.bot = new Telegraf(options.token, { telegram: { apiRoot: options.apiRoot, webhookReply: false } });
    // telegraf's default handler prints the whole update (resident text) to stderr; we only rethrow.
    this.bot.catch((err) => {
      throw err;
    });
    this.bot.use((ctx) => this.receive(ctx.update));
  }

  state(): ChannelState {
    return this.current;
  }

  async start(ingress: Ingress): Promise<void> {
    if (this.ingress) throw new Error('telegram adapter already started');
    this.ingress = ingress;
    const connected = await this.connect(true);
    this.background = this.runInBackground(connected);
  }

  async send(message: OutboundMessage): Promise<void> {
    if (this.current === 'stopped') throw new ChannelStoppedError('telegram');
    if (message.to.channel !== 'telegram') throw new WrongChannelError('telegram', message.to.channel);
    const chatId = message.to.userId;
    const parts = renderForTelegram(message, this.callbacks);
    await this.pacer.run(
      chatId,
      parts.map((part) => () => this.bot.telegram.sendMessage(chatId, part.text, part.extra)),
    );
  }

  async stop(): Promise<void> {
    if (this.current === 'stopped') return;
    this.setState('stopped');
    this.stopping.abort();
    await this.background?.catch(() => undefined);
  }

  mountWebhook(app: FastifyInstance): void {
    const webhook = this.options.webhook;
    if (!webhook) throw new Error('telegram adapter has no webhook configured');
    mountWebhookRoute(app, {
      path: webhook.path ?? new URL(webhook.url).pathname,
      secret: webhook.secret,
      handle: (update) => this.handle(update),
      accepting: () => this.ingress !== undefined && this.current !== 'stopped',
      logger: this.logger,
    });
  }

  /** getMe, the command menu, and webhook or polling set-up; false when Telegram was unreachable. */
  private async connect(first: boolean): Promise<boolean> {
    try {
      this.bot.botInfo = await this.bot.telegram.getMe();
      await this.announceCommands();
      const webhook = this.options.webhook;
      if (webhook) {
        await this.bot.telegram.setWebhook(webhook.url, {
          secret_token: webhook.secret,
          allowed_updates: [...ALLOWED_UPDATES],
        });
      } else {
        await this.bot.telegram.deleteWebhook({ drop_pending_updates: false });
      }
      if (this.current !== 'stopped') this.setState('ready');
      return true;
    } catch (err) {
      const rejected = err instanceof TelegramError && (err.code === 401 || err.code === 404);
      if (rejected && first) throw new TelegramTokenRejectedError();
      this.logger.warn({ err: loggableError(err) }, 'telegram: cannot reach the Bot API; retrying');
      if (this.current !== 'stopped') this.setState('disconnected');
      return false;
    }
  }

  private async runInBackground(connected: boolean): Promise<void> {
    const signal = this.stopping.signal;
    for (let attempt = 0; !connected; attempt++) {
      if (!(await pause(backoffDelay(attempt, this.retry), signal))) return;
      connected = await this.connect(false);
    }
    if (this.options.webhook || signal.aborted) return;
    await pollUpdates({
      telegram: this.bot.telegram,
      signal,
      timeoutSeconds: this.options.pollTimeoutSeconds ?? 50,
      retry: this.retry,
      handle: (update) => this.handle(update),
      onConnection: (ok) => {
        if (this.current !== 'stopped') this.setState(ok ? 'ready' : 'disconnected');
      },
      logger: this.logger,
    });
  }

  /** Sets the command menu, Dutch by default and English for English-language apps. */
  private async announceCommands(): Promise<void> {
    for (const language of ['nl', 'en'] as const satisfies ChannelLanguage[]) {
      const commands = BOT_COMMANDS.map((command) => ({
        command,
        description: channelText(this.options.texts, language, `telegram.command.${command}`),
      }));
      try {
        await this.bot.telegram.setMyCommands(commands, language === 'nl' ? {} : { language_code: language });
      } catch (err) {
        this.logger.warn({ err: loggableError(err), language }, 'telegram: could not set the command menu');
      }
    }
  }

  private handle(update: Update): Promise<void> {
    return this.gate.once(update.update_id, () => this.bot.handleUpdate(update));
  }

  /** The one telegraf middleware: answer a pressed button, then hand the message to the ingress. */
  private async receive(update: Update): Promise<void> {
    const ingress = this.ingress;
    if (!ingress || this.current === 'stopped') throw new ChannelStoppedError('telegram');
    if ('callback_query' in update) await this.answerButton(update.callback_query.id);
    const inbound = toInbound(update, this.callbacks);
    if (inbound) await ingress.receive(inbound);
  }

  /** Stops the button's spinner; an old query (a redelivery) may be refused, which is harmless. */
  private async answerButton(queryId: string): Promise<void> {
    try {
      await this.bot.telegram.answerCbQuery(queryId);
    } catch (err) {
      this.logger.debug({ err: loggableError(err) }, 'telegram: answerCallbackQuery refused');
    }
  }

  private setState(next: ChannelState): void {
    if (next === this.current) return;
    this.logger.info({ channel: 'telegram', from: this.current, to: next }, 'channel state');
    this.current = next;
  }
}
