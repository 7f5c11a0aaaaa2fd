import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { ChatEntry, ServerFrame } from '../../bots/web/protocol.js';

/** The resident's cookie a GET /chat hands out ("name=value", for a Cookie header). */
export async function residentCookie(baseUrl: string, lang = 'nl'): Promise<string> {
  const response = await fetch(`${baseUrl}/chat?lang=${lang}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  await response.text();
  const cookie = setCookie.split(';')[0];
  if (!cookie) throw new Error('GET /chat set no cookie');
  return cookie;
}

/** A fresh client message id, as the page makes them. */
export const clientMessageId = (): string => randomBytes(9).toString('base64url');

/**
 * A resident's page, spoken as a real WebSocket client (the `ws` package) to /chat/socket: what the
 * browser's chat.js does, without a browser. Every frame received is kept in `frames`.
 */
export class WebChatClient {
  readonly frames: ServerFrame[] = [];
  private waiters: { test: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }[] = [];

  private constructor(
    readonly socket: WebSocket,
    readonly cookie: string,
  ) {
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as ServerFrame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.test(frame) ? (w.resolve(frame), false) : true));
    });
  }

  /** Opens a socket with the resident's cookie (a new resident's when none is given). */
  static async open(
    baseUrl: string,
    options: { cookie?: string; origin?: string; lang?: string } = {},
  ): Promise<WebChatClient> {
    const cookie = options.cookie ?? (await residentCookie(baseUrl));
    const socket = new WebSocket(
      `${baseUrl.replace(/^http/, 'ws')}/chat/socket?lang=${options.lang ?? 'nl'}`,
      {
        headers: { Cookie: cookie, Origin: options.origin ?? baseUrl },
      },
    );
    const client = new WebChatClient(socket, cookie);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      socket.once('error', reject);
    });
    await client.next((f) => f.type === 'history');
    return client;
  }

  /** Resolves with the first frame (already received or still to come) that passes `test`. */
  next(test: (f: ServerFrame) => boolean, from = 0): Promise<ServerFrame> {
    const seen = this.frames.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Sends a message and waits for the server's answer to it (ack, refused or retry). */
  async send(text: string, options: { choiceId?: string; id?: string } = {}): Promise<ServerFrame> {
    const id = options.id ?? clientMessageId();
    const from = this.frames.length;
    this.socket.send(
      JSON.stringify({ type: 'send', id, text, ...(options.choiceId ? { choiceId: options.choiceId } : {}) }),
    );
    return this.next((f) => 'id' in f && f.id === id && f.type !== 'pong', from);
  }

  /** A round trip: every frame the server wrote before the pong has arrived once this resolves. */
  async ping(): Promise<void> {
    const id = clientMessageId();
    this.socket.send(JSON.stringify({ type: 'ping', id }));
    await this.next((f) => f.type === 'pong' && f.id === id);
  }

  /** The messages received (history and live), in order, each key once. */
  entries(from = 0): ChatEntry[] {
    const seen = new Set<string>();
    const out: ChatEntry[] = [];
    for (const frame of this.frames.slice(from)) {
      const list = frame.type === 'history' ? frame.entries : frame.type === 'message' ? [frame.entry] : [];
      for (const entry of list) {
        if (seen.has(entry.key)) continue;
        seen.add(entry.key);
        out.push(entry);
      }
    }
    return out;
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}
