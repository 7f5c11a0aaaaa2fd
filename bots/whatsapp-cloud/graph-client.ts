import { GraphError } from './errors.js';

/** One message for the Graph API's /messages endpoint (without `messaging_product` and `to`). */
export type GraphMessage =
  | { type: 'text'; text: { body: string; preview_url: boolean } }
  | { type: 'interactive'; interactive: Interactive }
  | { type: 'template'; template: GraphTemplate };

export type Interactive =
  | {
      type: 'button';
      body: { text: string };
      action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] };
    }
  | {
      type: 'list';
      body: { text: string };
      action: {
        button: string;
        sections: { rows: { id: string; title: string; description?: string }[] }[];
      };
    };

export interface GraphTemplate {
  name: string;
  language: { code: string };
  components?: { type: 'body'; parameters: { type: 'text'; text: string }[] }[];
}

export interface GraphClientOptions {
  /** WHATSAPP_CLOUD_API_ROOT: https://graph.facebook.com, a provider's, or a test server's. */
  apiRoot: string;
  /** WHATSAPP_CLOUD_API_VERSION, e.g. v23.0. */
  version: string;
  phoneNumberId: string;
  token: string;
  /** A request without an answer after this long counts as failed (default 30 s). */
  timeoutMs?: number;
}

/** Sends messages through POST /{version}/{phone-number-id}/messages. */
export class GraphClient {
  private readonly url: string;

  constructor(private readonly o: GraphClientOptions) {
    this.url = `${o.apiRoot.replace(/\/$/, '')}/${o.version}/${o.phoneNumberId}/messages`;
  }

  /** Sends one message; resolves with WhatsApp's message id, or throws a GraphError. */
  async send(to: string, message: GraphMessage): Promise<string> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.o.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message }),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new GraphError(0, 0, `network: ${err instanceof Error ? err.name : 'error'}`);
    }
    const body = (await response.json().catch(() => null)) as GraphAnswer | null;
    if (response.ok) {
      const id = body?.messages?.[0]?.id;
      if (typeof id === 'string') return id;
      throw new GraphError(response.status, 0, 'answer without a message id');
    }
    const error = body?.error;
    throw new GraphError(
      response.status,
      typeof error?.code === 'number' ? error.code : 0,
      typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`,
    );
  }
}

interface GraphAnswer {
  messages?: { id?: unknown }[];
  error?: { code?: unknown; message?: unknown };
}
