import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { WhatsAppClientFactory, WhatsAppMessageLike } from '../../bots/whatsapp/client.js';

/** A message as whatsapp-web.js gives it (the fields the adapter may read, plus a few more). */
export interface FakeMessage extends WhatsAppMessageLike {
  id: { fromMe: boolean; remote: string; id: string; _serialized: string };
  to: string;
  ack: number;
  timestamp: number;
  author?: string;
  broadcast: boolean;
  rawData: { notifyName?: string };
}

/** A message the fake client sent for the adapter. */
export interface FakeSent {
  chatId: string;
  content: string;
  message: FakeMessage;
  client: number;
}

const ME = '31700000000@c.us';
const SESSION_CLOSED =
  'Protocol error (Runtime.callFunctionOn): Session closed. Most likely the page has been closed.';

/**
 * The phone and WhatsApp's side for the fake clients: whether a device is linked (LocalAuth keeps
 * that across clients), every client the adapter built, and all messages sent, in order.
 */
export class FakeWhatsApp {
  linked = false;
  readonly clients: FakeWhatsAppClient[] = [];
  readonly sent: FakeSent[] = [];
  /** sendMessage calls refused because that client was not connected. */
  refusedSends = 0;
  /** The next n initialize() calls fail, as when Chromium cannot start. */
  failInitialize = 0;
  /** The next n sendMessage calls never answer, while the link stays up (a stalled page). */
  stallSends = 0;
  readonly factoryCalls: Array<{ sessionDir: string; executablePath: string }> = [];

  readonly factory: WhatsAppClientFactory = (options) => {
    this.factoryCalls.push(options);
    const client = new FakeWhatsAppClient(this, this.clients.length);
    this.clients.push(client);
    return client;
  };

  /** The newest client (the one the adapter uses now). */
  get current(): FakeWhatsAppClient {
    const client = this.clients[this.clients.length - 1];
    if (!client) throw new Error('no client built yet');
    return client;
  }
}

/**
 * An EventEmitter with whatsapp-web.js's Client event names ('qr', 'authenticated', 'ready',
 * 'message', 'message_ack', 'disconnected', 'auth_failure') and method signatures, plus helpers
 * to play the resident, the network and the phone.
 */
export class FakeWhatsAppClient extends EventEmitter {
  /** whatsapp-web.js WAState; null before the page is up and after destroy. */
  state: string | null = null;
  destroyed = false;
  private qrCount = 0;

  constructor(
    private readonly world: FakeWhatsApp,
    readonly index: number,
  ) {
    super();
  }

  async initialize(): Promise<void> {
    if (this.destroyed) throw new Error('client was destroyed');
    if (this.world.failInitialize > 0) {
      this.world.failInitialize -= 1;
      throw new Error('Failed to launch the browser process!');
    }
    this.state = 'OPENING';
    // Like the real client: events come after the page loaded, not inside initialize's call.
    setImmediate(() => {
      if (this.destroyed) return;
      if (this.world.linked) this.becomeReady();
      else this.emit('qr', `2@fake-qr-${this.index}-${++this.qrCount},abc=,def=,ghi=`);
    });
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.state = null;
  }

  async getState(): Promise<string | null> {
    return this.state;
  }

  async sendMessage(chatId: string, content: unknown): Promise<FakeMessage> {
    if (this.destroyed || this.state !== 'CONNECTED') {
      this.world.refusedSends += 1;
      throw new Error(SESSION_CLOSED);
    }
    if (typeof content !== 'string') throw new Error('the fake only sends text');
    if (this.world.stallSends > 0) {
      this.world.stallSends -= 1;
      return new Promise<never>(() => undefined);
    }
    const message = makeMessage({ from: ME, to: chatId, body: content, fromMe: true });
    this.world.sent.push({ chatId, content, message, client: this.index });
    return message;
  }

  /** The operator scans the QR with the phone: authenticated, then ready. */
  scanQr(): void {
    this.world.linked = true;
    this.becomeReady();
  }

  /** A person writes to the municipality's number. */
  residentWrites(from: string, body: string, extra: Partial<FakeMessage> = {}): FakeMessage {
    const message = { ...makeMessage({ from, to: ME, body, fromMe: false }), ...extra };
    this.emit('message', message);
    return message;
  }

  /** WhatsApp Web reports the link gone (as the real client does: event, then it destroys itself). */
  disconnect(reason = 'NAVIGATION'): void {
    this.state = null;
    this.emit('disconnected', reason);
    void this.destroy();
  }

  /** The phone removed this linked device: the session is gone and a new QR is needed. */
  logout(): void {
    this.world.linked = false;
    this.disconnect('LOGOUT');
  }

  /** The link dies without any event (phone offline, socket stalled): sends start to fail. */
  dropSilently(): void {
    this.state = 'TIMEOUT';
  }

  /** A delivery receipt for a sent message (1 server, 2 device, 3 read). */
  ack(message: FakeMessage, ack: number): void {
    message.ack = ack;
    this.emit('message_ack', message, ack);
  }

  private becomeReady(): void {
    this.emit('authenticated');
    this.state = 'CONNECTED';
    this.emit('ready');
  }
}

function makeMessage(fields: { from: string; to: string; body: string; fromMe: boolean }): FakeMessage {
  const key = randomBytes(10).toString('hex').toUpperCase();
  const remote = fields.fromMe ? fields.to : fields.from;
  return {
    id: { fromMe: fields.fromMe, remote, id: key, _serialized: `${fields.fromMe}_${remote}_${key}` },
    from: fields.from,
    to: fields.to,
    fromMe: fields.fromMe,
    body: fields.body,
    type: 'chat',
    hasMedia: false,
    isStatus: false,
    broadcast: false,
    ack: fields.fromMe ? 0 : 3,
    timestamp: Math.floor(Date.now() / 1000),
    rawData: fields.fromMe ? {} : { notifyName: 'Anna' },
  };
}
