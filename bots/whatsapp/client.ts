/**
 * The part of whatsapp-web.js's `Client` the adapter uses. The real client satisfies it (see
 * default-client.ts); test/support/fake-whatsapp-client.ts implements the same surface.
 */

/** whatsapp-web.js `Message` fields the adapter reads. */
export interface WhatsAppMessageLike {
  id: { _serialized: string };
  from: string;
  fromMe: boolean;
  body: string;
  /** whatsapp-web.js MessageTypes: 'chat', 'image', 'ptt', 'sticker', 'revoked', … */
  type: string;
  hasMedia: boolean;
  isStatus: boolean;
  /** The raw WhatsApp Web record; `notifyName` is the sender's own display name. */
  rawData?: object;
}

/** whatsapp-web.js MessageAck values. */
export const Ack = { ERROR: -1, PENDING: 0, SERVER: 1, DEVICE: 2, READ: 3, PLAYED: 4 } as const;

export interface WhatsAppClientLike {
  on(event: 'qr', listener: (qr: string) => void): unknown;
  on(event: 'authenticated' | 'ready', listener: () => void): unknown;
  on(event: 'message', listener: (message: WhatsAppMessageLike) => void): unknown;
  on(event: 'message_ack', listener: (message: WhatsAppMessageLike, ack: number) => void): unknown;
  on(event: 'disconnected', listener: (reason: string) => void): unknown;
  on(event: 'auth_failure', listener: (message: string) => void): unknown;
  removeAllListeners(): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: string): Promise<{ id: { _serialized: string } }>;
  /** whatsapp-web.js WAState ('CONNECTED', 'TIMEOUT', …) or null when the page is gone. */
  getState(): Promise<string | null>;
}

/** Builds a client for one WhatsApp number; called again for each re-initialisation. */
export type WhatsAppClientFactory = (options: {
  sessionDir: string;
  executablePath: string;
}) => WhatsAppClientLike | Promise<WhatsAppClientLike>;
