import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message the fake accepted through POST /{version}/{phone-number-id}/messages. */
export interface GraphSent {
  /** WhatsApp's id for it (wamid.…). */
  id: string;
  to: string;
  type: 'text' | 'interactive' | 'template';
  body: Record<string, unknown>;
  at: number;
}

/** Every request to /messages, with what the fake answered. */
export interface GraphAttempt {
  to: string;
  type: string;
  status: number;
  code?: number;
  /** A short summary to tell messages apart (text body, interactive body, template name). */
  summary: string;
}

/** A refusal to give for the next matching requests. */
export interface GraphFault {
  status: number;
  code: number;
  times: number;
  /** Only requests to this number (default: any). */
  to?: string;
  /** Only these message types (default: any); e.g. ['text', 'interactive'] for 131047. */
  types?: string[];
}

/**
 * A Graph API on 127.0.0.1 for the Cloud API adapter (`WHATSAPP_CLOUD_API_ROOT`). It checks the
 * bearer token, the path and WhatsApp's limits (text 4096, ≤ 3 buttons with titles ≤ 20, ≤ 10 list
 * rows with titles ≤ 24, template names), answers like Graph (`messages[0].id`, or `error.code`),
 * and gives programmed refusals (131047, 131056, 130429, 5xx).
 */
export class FakeGraphApi {
  readonly sent: GraphSent[] = [];
  readonly attempts: GraphAttempt[] = [];
  readonly faults: GraphFault[] = [];
  /** Told of every accepted message as it arrives (benchmarks time replies with it). */
  onSent: ((sent: GraphSent) => void) | undefined;
  /** Keep accepted messages in `sent` (a long benchmark turns this off). */
  keep = true;
  url = '';
  readonly token = `EAAtest${randomBytes(12).toString('hex')}`;
  readonly phoneNumberId = '109876543210';
  readonly version = 'v23.0';
  private seq = 0;
  private readonly server: http.Server;

  private constructor() {
    this.server = http.createServer((req, res) => void this.serve(req, res));
  }

  static async start(): Promise<FakeGraphApi> {
    const api = new FakeGraphApi();
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    api.url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    return api;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Refuses the next `times` matching requests with this HTTP status and Graph error code. */
  fail(fault: Omit<GraphFault, 'times'> & { times?: number }): void {
    this.faults.push({ times: 1, ...fault });
  }

  sentTo(to: string): GraphSent[] {
    return this.sent.filter((s) => s.to === to);
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: number, message: string) =>
      answer(status, { error: { message, type: 'OAuthException', code, fbtrace_id: 'Afake' } });
    if (req.method !== 'POST' || req.url !== `/${this.version}/${this.phoneNumberId}/messages`)
      return error(404, 803, 'unknown path');
    if (req.headers.authorization !== `Bearer ${this.token}`) return error(401, 190, 'invalid token');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return error(400, 100, 'invalid JSON');
    }
    const to = typeof body.to === 'string' ? body.to : '';
    const type = typeof body.type === 'string' ? body.type : '';
    const attempt: GraphAttempt = { to, type, status: 200, summary: summary(body) };
    if (this.keep) this.attempts.push(attempt);
    const problem = check(body);
    if (problem) {
      Object.assign(attempt, { status: 400, code: 100 });
      return error(400, 100, `(#100) ${problem}`);
    }
    const fault = this.faults.find(
      (f) => f.times > 0 && (!f.to || f.to === to) && (!f.types || f.types.includes(type)),
    );
    if (fault) {
      fault.times--;
      Object.assign(attempt, { status: fault.status, code: fault.code });
      return error(fault.status, fault.code, `refused (${fault.code})`);
    }
    const id = `wamid.fake${String(++this.seq).padStart(8, '0')}`;
    const sent: GraphSent = { id, to, type: type as GraphSent['type'], body, at: Date.now() };
    if (this.keep) this.sent.push(sent);
    this.onSent?.(sent);
    return answer(200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: to }],
      messages: [{ id }],
    });
  }
}

function summary(body: Record<string, unknown>): string {
  const r = body as {
    text?: { body?: string };
    interactive?: { body?: { text?: string } };
    template?: { name?: string };
  };
  return r.text?.body ?? r.interactive?.body?.text ?? r.template?.name ?? '';
}

/** WhatsApp's rules for the messages this service sends; a breach is Graph's error 100. */
function check(body: Record<string, unknown>): string | undefined {
  if (body.messaging_product !== 'whatsapp') return 'messaging_product must be whatsapp';
  if (!/^\d{6,20}$/.test(String(body.to))) return 'invalid recipient';
  const b = body as {
    type: string;
    text?: { body?: string };
    interactive?: {
      type: string;
      body?: { text?: string };
      action?: {
        button?: string;
        buttons?: { reply: { id: string; title: string } }[];
        sections?: { rows: { id: string; title: string; description?: string }[] }[];
      };
    };
    template?: { name?: string; language?: { code?: string }; components?: unknown[] };
  };
  const len = (s: string | undefined) => [...(s ?? '')].length;
  if (b.type === 'text') return len(b.text?.body) < 1 || len(b.text?.body) > 4096 ? 'text length' : undefined;
  if (b.type === 'template') {
    if (!/^[a-z0-9_]+$/.test(b.template?.name ?? '')) return 'template name';
    return b.template?.language?.code ? undefined : 'template language';
  }
  if (b.type !== 'interactive' || !b.interactive) return 'unknown type';
  const i = b.interactive;
  if (i.type === 'button') {
    const buttons = i.action?.buttons ?? [];
    if (len(i.body?.text) < 1 || len(i.body?.text) > 1024) return 'button body length';
    if (buttons.length < 1 || buttons.length > 3) return 'buttons count';
    if (buttons.some((x) => len(x.reply.title) < 1 || len(x.reply.title) > 20)) return 'button title length';
    if (new Set(buttons.map((x) => x.reply.title)).size < buttons.length)
      return 'button titles must be unique';
    if (buttons.some((x) => len(x.reply.id) > 256)) return 'button id length';
    return undefined;
  }
  if (i.type === 'list') {
    const rows = (i.action?.sections ?? []).flatMap((s) => s.rows);
    if (len(i.body?.text) < 1 || len(i.body?.text) > 4096) return 'list body length';
    if (len(i.action?.button) < 1 || len(i.action?.button) > 20) return 'list button length';
    if (rows.length < 1 || rows.length > 10) return 'rows count';
    if (rows.some((r) => len(r.title) < 1 || len(r.title) > 24)) return 'row title length';
    if (rows.some((r) => len(r.description) > 72)) return 'row description length';
    if (rows.some((r) => len(r.id) > 200)) return 'row id length';
    return undefined;
  }
  return 'unknown interactive type';
}

let wamid = 0;

/** Webhook bodies as Meta sends them, for one phone number id. */
export class CloudWebhooks {
  constructor(
    private readonly phoneNumberId: string,
    private readonly displayNumber = '15550001234',
  ) {}

  private envelope(value: Record<string, unknown>): Record<string, unknown> {
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: this.displayNumber, phone_number_id: this.phoneNumberId },
                ...value,
              },
            },
          ],
        },
      ],
    };
  }

  /** A resident's message of any type (`content` is its type's object, e.g. `{ body }` for text). */
  message(from: string, type: string, content: unknown, options: { id?: string; name?: string } = {}) {
    const id = options.id ?? `wamid.in${String(++wamid).padStart(10, '0')}`;
    return this.envelope({
      contacts: [{ profile: { name: options.name ?? 'Anna de Boer' }, wa_id: from }],
      messages: [
        {
          from,
          id,
          timestamp: String(Math.floor(Date.now() / 1000)),
          type,
          ...(content ? { [type]: content } : {}),
        },
      ],
    });
  }

  text(from: string, body: string, options: { id?: string; name?: string } = {}) {
    return this.message(from, 'text', { body }, options);
  }

  buttonReply(from: string, id: string, title: string) {
    return this.message(from, 'interactive', { type: 'button_reply', button_reply: { id, title } });
  }

  listReply(from: string, id: string, title: string, description?: string) {
    return this.message(from, 'interactive', {
      type: 'list_reply',
      list_reply: { id, title, ...(description ? { description } : {}) },
    });
  }

  status(messageId: string, recipient: string, status: string, errorCode?: number) {
    return this.envelope({
      statuses: [
        {
          id: messageId,
          status,
          timestamp: String(Math.floor(Date.now() / 1000)),
          recipient_id: recipient,
          ...(errorCode ? { errors: [{ code: errorCode, title: 'error' }] } : {}),
        },
      ],
    });
  }
}
