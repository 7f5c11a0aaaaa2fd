import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InlineKeyboardMarkup, Message, Update } from 'telegraf/types';

/** A message the fake accepted through sendMessage. */
export interface SentMessage {
  messageId: number;
  chatId: string;
  text: string;
  replyMarkup?: InlineKeyboardMarkup;
  parseMode?: string;
  /** Date.now() when the request arrived. */
  at: number;
  /** Who sent it: the tag in an apiRoot ending in `/via/<tag>/` (the fault suite names its processes so). */
  via?: string;
}

/** Every sendMessage request, including the ones the fake refused. */
export interface SendAttempt {
  chatId: string;
  text: string;
  at: number;
  outcome: 'accepted' | 'rate-limited' | 'refused';
  via?: string;
}

type Params = Record<string, unknown>;
type Answer = { status: number; body: unknown };
type Reply = Answer | 'long-poll';

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const BOT = { id: 777000111, is_bot: true, first_name: 'Spreekuur', username: 'SpreekuurTestBot' } as const;

/**
 * A Bot API server on 127.0.0.1 that telegraf talks to, unmodified, through `apiRoot`. It keeps
 * Telegram's rules that matter here: offset confirmation and one long poll at a time for
 * getUpdates (a newer long poll ends the open one with 409, as when two processes poll one bot), 409
 * while a webhook is set, 4096-character and 64-byte callback_data limits, 429
 * with retry_after on demand, and callback queries that can be answered once.
 */
export class FakeTelegramApi {
  readonly sent: SentMessage[] = [];
  readonly sendAttempts: SendAttempt[] = [];
  readonly answeredCallbacks: string[] = [];
  readonly commandMenus: Array<{
    languageCode?: string;
    commands: Array<{ command: string; description: string }>;
  }> = [];
  readonly calls: Array<{ method: string; at: number; via?: string }> = [];
  /** Long polls ended with 409 by a newer one: who held it (its `/via/<tag>/`) and when. */
  readonly terminatedPolls: Array<{ via?: string; at: number }> = [];
  webhook: { url: string; secretToken?: string; allowedUpdates?: unknown } | null = null;
  /** Highest offset a getUpdates call confirmed (updates below it are gone). */
  confirmedOffset = 0;
  url = '';

  private pending: Update[] = [];
  private nextUpdateId = 5000;
  private nextMessageId = 1;
  private openCallbackQueries = new Set<string>();
  private poll: { finish: (updates: Update[]) => void; terminate: () => void } | undefined;
  private rateLimits: Array<{ chatId?: string; retryAfter: number; remaining: number }> = [];
  private getUpdatesFailures = 0;
  private sendFailures = { until: 0, status: 502 };
  private readonly server: http.Server;

  private constructor(readonly token: string) {
    this.server = http.createServer((req, res) => void this.serve(req, res));
  }

  /** Starts a fake on a random loopback port. */
  static async start(token = '123456:TEST-fake-token_abc'): Promise<FakeTelegramApi> {
    const api = new FakeTelegramApi(token);
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    api.url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    return api;
  }

  async close(): Promise<void> {
    this.poll?.finish([]);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queues an update for getUpdates (a waiting long poll returns at once). */
  push(update: Update): void {
    this.pending.push(update);
    this.poll?.finish(this.take(100));
  }

  /** A private-chat text message update (commands carry a bot_command entity, as Telegram's do). */
  textUpdate(chatId: number, text: string): Update {
    const command = /^\/\w+(@\w+)?/.exec(text);
    const entities = command
      ? [{ type: 'bot_command' as const, offset: 0, length: command[0].length }]
      : undefined;
    return this.messageUpdate(chatId, { text, ...(entities ? { entities } : {}) });
  }

  /** A photo without caption (or with one). */
  photoUpdate(chatId: number, caption?: string): Update {
    const photo = [
      { file_id: 'AgAC-photo', file_unique_id: 'uniq-photo', width: 90, height: 90, file_size: 1234 },
    ];
    return this.messageUpdate(chatId, { photo, ...(caption ? { caption } : {}) });
  }

  /** A sticker, a voice note or a document: media without text. */
  mediaUpdate(chatId: number, kind: 'sticker' | 'voice' | 'document'): Update {
    const file = { file_id: `file-${kind}`, file_unique_id: `uniq-${kind}` };
    const body =
      kind === 'sticker'
        ? {
            sticker: {
              ...file,
              type: 'regular',
              width: 512,
              height: 512,
              is_animated: false,
              is_video: false,
            },
          }
        : kind === 'voice'
          ? { voice: { ...file, duration: 3 } }
          : { document: { ...file, file_name: 'brief.pdf' } };
    return this.messageUpdate(chatId, body);
  }

  /** A text message in a group chat (the adapter must ignore it). */
  groupTextUpdate(groupId: number, fromId: number, text: string): Update {
    const update = this.messageUpdate(fromId, { text });
    (update as { message: Message }).message.chat = { id: groupId, type: 'group', title: 'Buurtgroep' };
    return update;
  }

  /** A press on button `index` of a message the bot sent, as Telegram reports it. */
  buttonPressUpdate(sent: SentMessage, index: number): Update {
    const button = sent.replyMarkup?.inline_keyboard[index]?.[0];
    if (!button || !('callback_data' in button)) throw new Error(`sent message has no button ${index}`);
    const queryId = `cbq-${this.nextUpdateId}-${Math.random().toString(36).slice(2, 8)}`;
    this.openCallbackQueries.add(queryId);
    const chatId = Number(sent.chatId);
    const message = {
      message_id: sent.messageId,
      date: nowSeconds(),
      chat: { id: chatId, type: 'private', first_name: 'Anna' },
      from: BOT,
      text: sent.text,
      reply_markup: sent.replyMarkup,
    };
    return {
      update_id: this.nextUpdateId++,
      callback_query: {
        id: queryId,
        from: { id: chatId, is_bot: false, first_name: 'Anna', last_name: 'de Vries' },
        chat_instance: '-42',
        data: button.callback_data,
        message,
      },
    } as Update;
  }

  /** The next `count` sendMessage calls (to `chatId`, or any chat) get 429 with retry_after. */
  rateLimitSends(options: { retryAfter: number; chatId?: string; count?: number }): void {
    this.rateLimits.push({
      chatId: options.chatId,
      retryAfter: options.retryAfter,
      remaining: options.count ?? 1,
    });
  }

  /**
   * For the next `ms`, every sendMessage is refused with `status`: 429 (with retry_after 1) or a
   * 5xx, as in a burst of Telegram trouble.
   */
  refuseSendsFor(ms: number, status: number): void {
    this.sendFailures = { until: Date.now() + ms, status };
  }

  /** The next `count` getUpdates calls fail with 502, as when Telegram has a bad moment. */
  failGetUpdates(count: number): void {
    this.getUpdatesFailures = count;
  }

  /** The messages accepted for one chat, in arrival order. */
  sentTo(chatId: number | string): SentMessage[] {
    return this.sent.filter((m) => m.chatId === String(chatId));
  }

  private messageUpdate(chatId: number, body: Record<string, unknown>): Update {
    const message = {
      message_id: this.nextMessageId++,
      date: nowSeconds(),
      chat: { id: chatId, type: 'private', first_name: 'Anna', last_name: 'de Vries' },
      from: { id: chatId, is_bot: false, first_name: 'Anna', last_name: 'de Vries', language_code: 'nl' },
      ...body,
    };
    return { update_id: this.nextUpdateId++, message } as Update;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // An apiRoot may end in /via/<tag>/: the tag says which client sent a message (see SentMessage.via).
    const match = /^(?:\/via\/([\w.-]+))?\/bot([^/]+)\/(\w+)$/.exec(
      new URL(req.url ?? '/', 'http://x').pathname,
    );
    let reply: Reply;
    try {
      const params = await readParams(req);
      if (!match) throw new ApiError(404, 'Not Found');
      if (match[2] !== this.token) throw new ApiError(401, 'Unauthorized');
      this.calls.push({
        method: match[3]!,
        at: Date.now(),
        ...(match[1] === undefined ? {} : { via: match[1] }),
      });
      reply = this.dispatch(match[3]!, params, res, match[1]);
    } catch (err) {
      reply = errorReply(err);
    }
    if (reply !== 'long-poll') send(res, reply);
  }

  private dispatch(method: string, params: Params, res: http.ServerResponse, via?: string): Reply {
    switch (method) {
      case 'getMe':
        return ok(BOT);
      case 'getUpdates':
        return this.getUpdates(params, res, via);
      case 'sendMessage':
        return ok(this.sendMessage(params, via));
      case 'answerCallbackQuery':
        return ok(this.answerCallbackQuery(params));
      case 'setWebhook':
        return ok(this.setWebhook(params));
      case 'deleteWebhook':
        this.webhook = null;
        if (params.drop_pending_updates === true) this.pending = [];
        return ok(true);
      case 'getWebhookInfo':
        return ok({
          url: this.webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.pending.length,
        });
      case 'setMyCommands':
        return ok(this.setMyCommands(params));
      default:
        throw new ApiError(404, 'Not Found: method not found');
    }
  }

  private getUpdates(params: Params, res: http.ServerResponse, via: string | undefined): Reply {
    if (this.webhook) {
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    if (this.getUpdatesFailures > 0) {
      this.getUpdatesFailures -= 1;
      return { status: 502, body: 'Bad Gateway' };
    }
    const offset = Number(params.offset ?? 0);
    if (offset > 0) {
      this.confirmedOffset = Math.max(this.confirmedOffset, offset);
      this.pending = this.pending.filter((u) => u.update_id >= offset);
    }
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeout = Number(params.timeout ?? 0);
    if (this.pending.length > 0 || timeout <= 0) return ok(this.take(limit));
    // Telegram allows one long poll per bot: a newer one ends the older with 409.
    this.poll?.terminate();
    this.longPoll(res, timeout, limit, via);
    return 'long-poll';
  }

  private longPoll(res: http.ServerResponse, timeoutSeconds: number, limit: number, via?: string): void {
    const answer = (reply: Answer): void => {
      clearTimeout(timer);
      if (this.poll === entry) this.poll = undefined;
      if (!res.writableEnded && !res.destroyed) send(res, reply);
    };
    const finish = (updates: Update[]): void => answer(ok(updates.slice(0, limit)));
    const terminate = (): void => {
      this.terminatedPolls.push({ at: Date.now(), ...(via === undefined ? {} : { via }) });
      answer(
        errorReply(
          new ApiError(
            409,
            'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
          ),
        ),
      );
    };
    const entry = { finish, terminate };
    const timer = setTimeout(() => finish([]), timeoutSeconds * 1000);
    this.poll = entry;
    res.on('close', () => {
      clearTimeout(timer);
      if (this.poll === entry) this.poll = undefined;
    });
  }

  private take(limit: number): Update[] {
    return this.pending.slice(0, limit);
  }

  private sendMessage(params: Params, via: string | undefined): Message.TextMessage {
    const rawChat = params.chat_id;
    const chatId = typeof rawChat === 'string' || typeof rawChat === 'number' ? String(rawChat) : '';
    const text = typeof params.text === 'string' ? params.text : '';
    const attempt: SendAttempt = {
      chatId,
      text,
      at: Date.now(),
      outcome: 'refused',
      ...(via === undefined ? {} : { via }),
    };
    this.sendAttempts.push(attempt);
    if (!chatId) throw new ApiError(400, 'Bad Request: chat_id is empty');
    if (text.trim() === '') throw new ApiError(400, 'Bad Request: message text is empty');
    if (text.length > 4096) throw new ApiError(400, 'Bad Request: message is too long');
    const replyMarkup = parseMarkup(params.reply_markup);
    const limit = this.rateLimits.find(
      (r) => r.remaining > 0 && (r.chatId === undefined || r.chatId === chatId),
    );
    if (Date.now() < this.sendFailures.until) {
      const status = this.sendFailures.status;
      if (status === 429) {
        attempt.outcome = 'rate-limited';
        throw new ApiError(429, 'Too Many Requests: retry after 1', { retry_after: 1 });
      }
      throw new ApiError(status, 'Internal Server Error: try again later');
    }
    if (limit) {
      limit.remaining -= 1;
      attempt.outcome = 'rate-limited';
      throw new ApiError(429, `Too Many Requests: retry after ${limit.retryAfter}`, {
        retry_after: limit.retryAfter,
      });
    }
    attempt.outcome = 'accepted';
    const messageId = this.nextMessageId++;
    const parseMode = typeof params.parse_mode === 'string' ? params.parse_mode : undefined;
    this.sent.push({
      messageId,
      chatId,
      text,
      at: attempt.at,
      ...(via === undefined ? {} : { via }),
      ...(replyMarkup ? { replyMarkup } : {}),
      ...(parseMode ? { parseMode } : {}),
    });
    return {
      message_id: messageId,
      date: nowSeconds(),
      chat: { id: Number(chatId), type: 'private', first_name: 'Anna' },
      from: BOT,
      text,
      ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
    };
  }

  private answerCallbackQuery(params: Params): true {
    const id = String(params.callback_query_id);
    if (!this.openCallbackQueries.delete(id)) {
      throw new ApiError(
        400,
        'Bad Request: query is too old and response timeout expired or query ID is invalid',
      );
    }
    this.answeredCallbacks.push(id);
    return true;
  }

  private setWebhook(params: Params): true {
    const url = typeof params.url === 'string' ? params.url : '';
    if (url === '') {
      this.webhook = null;
      return true;
    }
    if (!url.startsWith('https://'))
      throw new ApiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    const secret = params.secret_token;
    if (secret !== undefined && (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
      throw new ApiError(400, 'Bad Request: secret token contains unallowed characters');
    }
    this.webhook = {
      url,
      ...(typeof secret === 'string' ? { secretToken: secret } : {}),
      allowedUpdates: params.allowed_updates,
    };
    return true;
  }

  private setMyCommands(params: Params): true {
    const commands = parseJson(params.commands) as Array<{ command: string; description: string }>;
    for (const c of commands) {
      if (!/^[a-z0-9_]{1,32}$/.test(c.command)) throw new ApiError(400, 'Bad Request: BOT_COMMAND_INVALID');
      if (!c.description || c.description.length > 256)
        throw new ApiError(400, 'Bad Request: command description is empty');
    }
    const languageCode = typeof params.language_code === 'string' ? params.language_code : undefined;
    this.commandMenus.push({ commands, ...(languageCode ? { languageCode } : {}) });
    return true;
  }
}

function parseMarkup(value: unknown): InlineKeyboardMarkup | undefined {
  if (value === undefined) return undefined;
  const markup = parseJson(value) as InlineKeyboardMarkup;
  for (const button of markup.inline_keyboard?.flat() ?? []) {
    if ('callback_data' in button) {
      const bytes = Buffer.byteLength(button.callback_data, 'utf8');
      if (bytes < 1 || bytes > 64) throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
    }
  }
  return markup;
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

async function readParams(req: http.IncomingMessage): Promise<Params> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
  if (raw === '') return query;
  if (!(req.headers['content-type'] ?? '').includes('application/json')) {
    throw new ApiError(400, 'Bad Request: the fake only speaks JSON');
  }
  return { ...query, ...(JSON.parse(raw) as Params) };
}

function ok(result: unknown): Answer {
  return { status: 200, body: { ok: true, result } };
}

function errorReply(err: unknown): Answer {
  if (!(err instanceof ApiError)) return { status: 500, body: 'Internal Server Error' };
  const body = {
    ok: false,
    error_code: err.status,
    description: err.description,
    ...(err.parameters ? { parameters: err.parameters } : {}),
  };
  return { status: err.status, body };
}

function send(res: http.ServerResponse, reply: Answer): void {
  const json = typeof reply.body !== 'string';
  res.writeHead(reply.status, { 'content-type': json ? 'application/json' : 'text/plain' });
  res.end(json ? JSON.stringify(reply.body) : reply.body);
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
