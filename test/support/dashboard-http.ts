import { onTestFinished } from 'vitest';
import { TEST_PASSWORD } from './dashboard-server.js';

/** One answer of the dashboard, read as text. */
export interface HttpPage {
  status: number;
  location: string | null;
  text: string;
}

/**
 * A staff member's session with the dashboard over plain HTTP (no browser): it keeps the cookies
 * and the CSRF token of the last page it read, and posts forms as a browser would.
 */
/** One server-sent event as a stream sent it (`data` parsed as JSON). */
export interface StreamedEvent {
  id?: string;
  event: string;
  data: unknown;
}

/** A live page's event stream, read as the browser's EventSource reads it. */
export interface EventStream {
  status: number;
  /** Reads events until one matches `done` and returns them, that one last; throws when the stream ends first. */
  until(done: (e: StreamedEvent) => boolean): Promise<StreamedEvent[]>;
  /** Drops the connection, as a network or a proxy does. */
  close(): void;
}

/** The id a browser would send back after these events: the last one they carried. */
export function lastEventId(events: readonly StreamedEvent[]): string | undefined {
  return events.findLast((e) => e.id !== undefined)?.id;
}

/** An event as a test reads it: its name, and a line's text (`line: …`). */
export const named = (e: StreamedEvent): string =>
  e.event === 'line' ? `line: ${(e.data as { text: string }).text}` : e.event;

/** Whether the event is the transcript line with this text. */
export const lineOf =
  (text: string) =>
  (e: StreamedEvent): boolean =>
    named(e) === `line: ${text}`;

/** Opens a page's stream (`lastEventId`: as a browser coming back after a drop); dropped after the test at the latest. */
export async function listen(http: DashboardHttp, url: string, lastEventId?: string): Promise<EventStream> {
  const stream = await http.events(url, lastEventId);
  onTestFinished(() => stream.close());
  return stream;
}

/** Parses one event's block of lines (`id:`, `event:`, `data:`); null for a block without an event. */
function parseEvent(block: string): StreamedEvent | null {
  const fields = new Map<string, string>();
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
  }
  const event = fields.get('event');
  if (event === undefined) return null;
  const id = fields.get('id');
  return { ...(id === undefined ? {} : { id }), event, data: JSON.parse(fields.get('data') ?? 'null') };
}

export interface DashboardHttp {
  get(path: string): Promise<HttpPage>;
  /** Opens an event stream; `lastEventId` is sent as `Last-Event-ID`, as a reconnecting browser does. */
  events(path: string, lastEventId?: string): Promise<EventStream>;
  /** Posts a form with the CSRF token of the last page read; redirects are not followed. */
  post(path: string, form: Record<string, string>): Promise<HttpPage>;
  signIn(email: string, password?: string): Promise<void>;
}

export function dashboardHttp(baseUrl: string): DashboardHttp {
  const cookies = new Map<string, string>();
  let csrf = '';
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const read = async (response: Response): Promise<HttpPage> => {
    remember(response);
    const text = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) csrf = token;
    return { status: response.status, location: response.headers.get('location'), text };
  };
  const http: DashboardHttp = {
    get: async (path) =>
      read(await fetch(`${baseUrl}${path}`, { headers: { cookie: cookieHeader() }, redirect: 'manual' })),
    async events(path, lastEventId) {
      const abort = new AbortController();
      const headers: Record<string, string> = { cookie: cookieHeader(), accept: 'text/event-stream' };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const response = await fetch(`${baseUrl}${path}`, {
        headers,
        signal: abort.signal,
        redirect: 'manual',
      });
      const reader = response.body?.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      return {
        status: response.status,
        async until(done) {
          const read: StreamedEvent[] = [];
          for (;;) {
            const end = buffer.indexOf('\n\n');
            if (end >= 0) {
              const event = parseEvent(buffer.slice(0, end));
              buffer = buffer.slice(end + 2);
              if (event) read.push(event);
              if (event && done(event)) return read;
              continue;
            }
            const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
            if (chunk.done) throw new Error(`the stream ended after ${JSON.stringify(read)}`);
            buffer += decoder.decode(chunk.value as Uint8Array, { stream: true });
          }
        },
        close: () => abort.abort(),
      };
    },
    post: async (path, form) =>
      read(
        await fetch(`${baseUrl}${path}`, {
          method: 'POST',
          headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
          redirect: 'manual',
        }),
      ),
    async signIn(email, password = TEST_PASSWORD) {
      await http.get('/dashboard/sign-in');
      const signedIn = await http.post('/dashboard/sign-in', { email, password });
      if (signedIn.status !== 303) throw new Error(`sign-in of ${email} answered ${signedIn.status}`);
    },
  };
  return http;
}
