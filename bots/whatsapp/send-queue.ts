import { within } from '../../src/shared/within.js';
import type { WhatsAppClientLike } from './client.js';

/** A live client and its generation (the adapter bumps the generation for every new client). */
export interface Link {
  client: WhatsAppClientLike;
  generation: number;
}

export interface SendQueueOptions {
  /** The link to send on, or undefined while not 'ready'. */
  currentLink(): Link | undefined;
  /** Called when a send failed because the link was down; the message stays first in line. */
  linkLost(link: Link, err: unknown): void;
  /** WhatsApp accepted a message: start following its acks. */
  accepted(whatsappId: string, outboundId: string | undefined): void;
  sendTimeoutMs: number;
}

/** One queued message; `done` settles once WhatsApp accepted it (or it was refused). */
export interface QueuedSend {
  chatId: string;
  text: string;
  outboundId: string | undefined;
  allowed: Promise<boolean>;
  done: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * The messages waiting for WhatsApp, in the order they were given. It sends while the link is up;
 * when the link drops the head message stays, and everything goes out in order once ready again.
 */
export class SendQueue {
  private readonly items: QueuedSend[] = [];
  private draining = false;
  private again = false;

  constructor(private readonly options: SendQueueOptions) {}

  /** Queues a message at once (keeping call order); `allowed` is checked before it goes out. */
  add(chatId: string, text: string, outboundId: string | undefined, allowed: Promise<boolean>): QueuedSend {
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A removed item is never awaited; its promises must not count as unhandled rejections.
    done.catch(() => undefined);
    allowed.catch(() => undefined);
    const item: QueuedSend = { chatId, text, outboundId, allowed, done, resolve, reject };
    this.items.push(item);
    return item;
  }

  remove(item: QueuedSend): void {
    const at = this.items.indexOf(item);
    if (at >= 0) this.items.splice(at, 1);
  }

  /** Refuses everything still waiting (on stop); the outbox keeps those messages. */
  rejectAll(err: unknown): void {
    for (const item of this.items.splice(0)) item.reject(err);
  }

  /** Sends waiting messages in order while the link is up. */
  async drain(): Promise<void> {
    // A call while draining (e.g. 'ready' during a link check) must not be lost: run once more.
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = true;
    try {
      do {
        this.again = false;
        await this.drainOnce();
      } while (this.again);
    } finally {
      this.draining = false;
    }
  }

  private async drainOnce(): Promise<void> {
    while (this.items.length > 0) {
      const link = this.options.currentLink();
      if (!link) return;
      const item = this.items[0]!;
      if (!(await item.allowed.catch(() => false))) {
        this.remove(item); // send() has told the caller
        continue;
      }
      if (this.options.currentLink() !== link) return;
      await this.sendOne(link, item);
      if (this.items[0] === item) return; // kept for after the reconnect
    }
  }

  private async sendOne(link: Link, item: QueuedSend): Promise<void> {
    try {
      const sent = await within(this.options.sendTimeoutMs, link.client.sendMessage(item.chatId, item.text));
      this.remove(item);
      this.options.accepted(sent.id._serialized, item.outboundId);
      item.resolve();
    } catch (err) {
      if (await linkIsUp(link.client)) {
        this.remove(item);
        item.reject(err);
        return;
      }
      // The link dropped without a 'disconnected' event: keep the message and reconnect.
      this.options.linkLost(link, err);
    }
  }
}

async function linkIsUp(client: WhatsAppClientLike): Promise<boolean> {
  try {
    return (await within(5000, client.getState())) === 'CONNECTED';
  } catch {
    return false;
  }
}
