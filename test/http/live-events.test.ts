import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { streamEvents, type LiveEvent } from '../../src/http/dashboard/live-events.js';

// The dashboard's server-sent event streams (webcare, live sessions). A stream that stays silent is
// closed by proxies (nginx after 60 s), and every reconnect of a takeover sends its transcript again.
const servers: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  while (servers.length) await servers.pop()?.close();
});

async function serve(tick: () => Promise<LiveEvent[] | null>, keepAliveMs: number) {
  const app = Fastify();
  app.get('/events', (request, reply) => streamEvents(request, reply, tick, 20, keepAliveMs));
  servers.push(app);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return `${url}/events`;
}

/** Reads the stream for `ms`, then aborts; returns the headers and what arrived. */
async function read(url: string, ms: number) {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  const reader = res.body!.getReader();
  let text = '';
  const done = new Promise<void>((resolve) => setTimeout(resolve, ms));
  const pump = (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => undefined);
      if (!chunk || chunk.done) return;
      text += new TextDecoder().decode(chunk.value as Uint8Array);
    }
  })();
  await done;
  abort.abort();
  await pump;
  return { headers: res.headers, text };
}

describe('streamEvents', () => {
  it('writes a comment line while it has nothing to say, and tells proxies not to buffer', async () => {
    const url = await serve(async () => [], 100);
    const { headers, text } = await read(url, 800);
    expect(headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(headers.get('x-accel-buffering')).toBe('no');
    const pings = text.match(/^: keep-alive\n\n/gm) ?? [];
    expect(pings.length).toBeGreaterThanOrEqual(2);
    // Comment lines only: no event a page would act on.
    expect(text).not.toMatch(/^data:/m);
  });

  it('writes no comment line while events keep coming', async () => {
    let n = 0;
    const url = await serve(async () => [{ id: String(++n), event: 'line', data: { n } }], 100);
    const { text } = await read(url, 450);
    expect(text).toMatch(/^data:/m);
    expect(text).not.toContain(': keep-alive');
  });
});
