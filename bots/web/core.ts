/** The web chat's options and the core its routes use (types only, so routes and adapter do not import each other). */
import type { ConnectionRegistry } from './connections.js';
import type { WebChatHistory } from './history.js';
import type { ResidentCookie } from './identity.js';
import type { OriginPolicy } from './origins.js';
import type { ChatEntry, ServerFrame } from './protocol.js';
import type { WebLanguage, WebTexts } from './texts.js';
import type { ChannelLogger } from '../common/logger.js';

/** Limits that keep one resident or one network from flooding the service. */
export interface WebChatLimits {
  /** Messages a minute per resident (default 60); more are refused with a kind notice. */
  perResidentPerMinute: number;
  /** Messages a minute per network address (default 300: a library or office shares one). */
  perAddressPerMinute: number;
  /** The longest message taken, in characters (default 16,000; the flows answer anything above 2,000 kindly, so only a pasted document is refused here). */
  maxChars: number;
}

export interface WebChatOptions {
  /** Reads a resident's earlier messages from the database (a port; bots never import storage). */
  history: WebChatHistory;
  /** The texts of data/i18n (both languages); the web chat's keys are checked at creation. */
  texts: WebTexts;
  municipality: string;
  defaultLanguage: WebLanguage;
  /** Signs the resident cookie and the form tokens; at least 32 characters, never printed. */
  secret: string;
  /** Origins (https://www.gemeente.nl) whose pages may show the widget and open a WebSocket. */
  allowedOrigins: readonly string[];
  /** The service's own public address, if set (PUBLIC_URL). */
  publicUrl?: string;
  logo: { src: string; alt: Record<WebLanguage, string> };
  limits?: Partial<WebChatLimits>;
  logger?: ChannelLogger;
}

/** What happened to a message a page sent. */
export type IntakeResult = Extract<ServerFrame, { type: 'ack' | 'refused' | 'retry' }>;

/** The adapter's core, which the routes use: take a message, read the history, reach open pages. */
export interface WebChatCore {
  readonly options: WebChatOptions;
  readonly limits: WebChatLimits;
  readonly registry: ConnectionRegistry;
  readonly origins: OriginPolicy;
  readonly cookie: ResidentCookie;
  accepting(): boolean;
  take(
    residentId: string,
    address: string,
    message: { id: string; text: string; choiceId?: string },
    lang: WebLanguage,
  ): Promise<IntakeResult>;
  history(residentId: string): Promise<ChatEntry[]>;
}
