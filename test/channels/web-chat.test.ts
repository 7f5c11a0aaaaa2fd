import { afterEach, describe, expect, it } from 'vitest';
import { XSS_PAYLOADS } from '../support/xss-payloads.js';
import { sqliteUrl } from '../support/services.js';
import { WebChatClient, clientMessageId, residentCookie } from '../support/web-chat-client.js';
import { startWebChatServer, type WebChatServer } from '../support/web-chat-server.js';

const servers: WebChatServer[] = [];
const clients: WebChatClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) await s.close();
});

async function start(options: Partial<Parameters<typeof startWebChatServer>[0]> = {}) {
  const server = await startWebChatServer({ databaseUrl: sqliteUrl(), ...options });
  servers.push(server);
  return server;
}

async function open(server: WebChatServer, options: Parameters<typeof WebChatClient.open>[1] = {}) {
  const client = await WebChatClient.open(server.url, options);
  clients.push(client);
  return client;
}

const count = async (server: WebChatServer, sql: string) => {
  const rows = await server.t.app.db.run((m) => m.query<{ n: number }[]>(sql));
  return Number(rows[0]?.n ?? 0);
};

describe('web chat over HTTP and WebSocket', () => {
  it('gives a new visitor a signed, HttpOnly cookie with a random id; a tampered cookie is not trusted', async () => {
    const server = await start();
    const page = await fetch(`${server.url}/chat`);
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^spreekuur_chat=[A-Za-z0-9_-]{32}\.[^;]+; Max-Age=\d+; Path=\/chat; HttpOnly; SameSite=Lax$/,
    );
    const value = cookie.split(';')[0]!;
    const tampered = value.replace(/=./, (m) => (m === '=A' ? '=B' : '=A'));
    const refused = await fetch(`${server.url}/chat/send`, {
      method: 'POST',
      headers: { Cookie: tampered, Origin: server.url, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'send', id: clientMessageId(), text: 'hallo' }),
    });
    expect(refused.status).toBe(401);
    expect(await count(server, `SELECT COUNT(*) AS n FROM inbound`)).toBe(0);
  });

  it('handles a frame sent again after a reconnect once, and shows messages that came while the page was closed', async () => {
    const server = await start();
    const first = await open(server);
    const id = clientMessageId();
    expect(await first.send('hallo', { id })).toEqual({ type: 'ack', id });
    await server.t.app.settle();
    await first.close();
    // Reconnected: the page sends the same frame again (it never saw the ack), then reads history.
    const again = await open(server, { cookie: first.cookie });
    expect(await again.send('hallo', { id })).toEqual({ type: 'ack', id });
    await server.t.app.settle();
    expect(await count(server, `SELECT COUNT(*) AS n FROM inbound WHERE kind = 'message'`)).toBe(1);
    const history = again.entries();
    expect(history.filter((e) => e.from === 'resident').map((e) => e.key)).toEqual([`r:${id}`]);
    expect(history.filter((e) => e.text.startsWith('Welkom'))).toHaveLength(1);
    await again.close();
    // While no page is open, the service writes (here: the resident's next turn from another tab).
    const other = await open(server, { cookie: first.cookie });
    await other.send('menu');
    await server.t.app.settle();
    await other.close();
    const reopened = await open(server, { cookie: first.cookie });
    const texts = reopened.entries().map((e) => e.text);
    expect(texts).toContain('menu');
    expect(texts[texts.length - 1]).toMatch(/Waar kan ik u mee helpen/);
    const last = reopened.entries().at(-1);
    expect(last?.choices?.length).toBeGreaterThan(2);
  });

  it('shows what one tab sends, and its answers, in the other tabs of the same resident', async () => {
    const server = await start();
    const a = await open(server);
    const b = await open(server, { cookie: a.cookie });
    const stranger = await open(server);
    const mark = b.frames.length;
    await a.send('hallo');
    await server.t.app.settle();
    await b.ping();
    await stranger.ping();
    const seenByB = b.entries(mark);
    expect(seenByB[0]).toMatchObject({ from: 'resident', text: 'hallo' });
    expect(seenByB.some((e) => e.text.startsWith('Welkom'))).toBe(true);
    expect(stranger.entries()).toEqual([]);
  });

  it('takes a pressed button by its id, and the number or words typed in the box', async () => {
    const server = await start();
    const client = await open(server);
    await client.send('hallo');
    await server.t.app.settle();
    await client.ping();
    const menu = client.entries().at(-1)!;
    const district = menu.choices!.find((c) => /wijkwethouder/i.test(c.label))!;
    const mark = client.frames.length;
    await client.send(district.label, { choiceId: district.id });
    await server.t.app.settle();
    await client.ping();
    expect(client.entries(mark).at(-1)?.text).toMatch(/postcode/i);
    const mark2 = client.frames.length;
    await client.send('2282 AB');
    await server.t.app.settle();
    await client.ping();
    expect(
      client
        .entries(mark2)
        .map((e) => e.text)
        .join('\n'),
    ).toMatch(/wijk/i);
  });

  it("starts a new conversation in the page's language; one already started keeps its own", async () => {
    const server = await start();
    const texts = (client: WebChatClient, from = 0) =>
      client
        .entries(from)
        .map((e) => e.text)
        .join('\n');
    // A resident on the English page (chosen there, or their browser's language) writes first.
    const english = await open(server, { lang: 'en' });
    await english.send('hello');
    await server.t.app.settle();
    await english.ping();
    expect(texts(english)).toMatch(/^Welcome/m);
    expect(texts(english)).not.toMatch(/Welkom|Waar kan ik/);
    expect(
      english
        .entries()
        .at(-1)
        ?.choices?.map((c) => c.label),
    ).toContain('Nederlands');
    // On the Dutch page, in Dutch.
    const dutch = await open(server, { lang: 'nl' });
    await dutch.send('hallo');
    await server.t.app.settle();
    await dutch.ping();
    expect(texts(dutch)).toMatch(/^Welkom/m);
    // The Dutch resident opens the English page later: the conversation stays Dutch (they switch
    // it by typing "English", as on every channel), and the English resident's stays English.
    const later = await open(server, { cookie: dutch.cookie, lang: 'en' });
    const mark = later.frames.length;
    await later.send('menu');
    await server.t.app.settle();
    await later.ping();
    expect(later.entries(mark).at(-1)?.text).toMatch(/Waar kan ik u mee helpen/);
    const back = await open(server, { cookie: english.cookie, lang: 'nl' });
    const mark2 = back.frames.length;
    await back.send('menu');
    await server.t.app.settle();
    await back.ping();
    expect(back.entries(mark2).at(-1)?.text).toMatch(/What can I help you with/);
  });

  it('refuses a socket from a page of a site that is not allowed, and accepts an allowed one', async () => {
    const server = await start({ allowedOrigins: ['https://www.rijswijk.nl'] });
    await expect(open(server, { origin: 'https://evil.example' })).rejects.toThrow('refused: 403');
    await expect(open(server, { origin: 'https://www.rijswijk.nl' })).resolves.toBeInstanceOf(WebChatClient);
    const page = await fetch(`${server.url}/chat`);
    expect(page.headers.get('content-security-policy')).toContain(
      "frame-ancestors 'self' https://www.rijswijk.nl",
    );
    // A cross-site JSON post (which would need CORS anyway) is refused before it is read.
    const cookie = await residentCookie(server.url);
    const post = await fetch(`${server.url}/chat/send`, {
      method: 'POST',
      headers: { Cookie: cookie, Origin: 'https://evil.example', 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'send', id: clientMessageId(), text: 'stop' }),
    });
    expect(post.status).toBe(403);
  });

  it('refuses too many messages a minute per resident and per address with a kind notice, storing none of them', async () => {
    const server = await start({ limits: { perResidentPerMinute: 3, perAddressPerMinute: 4 } });
    const a = await open(server);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await a.send(`bericht ${i}`));
    expect(answers.slice(0, 3).map((f) => f.type)).toEqual(['ack', 'ack', 'ack']);
    expect(answers[3]).toMatchObject({ type: 'refused', reason: 'rate' });
    expect(JSON.stringify(answers[3])).toMatch(/Wacht even/);
    const b = await open(server);
    expect((await b.send('hallo')).type).toBe('ack');
    expect(await b.send('nog een')).toMatchObject({ type: 'refused', reason: 'address-rate' });
    expect(await count(server, `SELECT COUNT(*) AS n FROM inbound WHERE kind = 'message'`)).toBe(4);
  });

  it('refuses a message over the size limit with the length in the notice, and closes a socket that sends megabytes', async () => {
    const server = await start({ limits: { maxChars: 100 } });
    const client = await open(server);
    const refused = await client.send('x'.repeat(101));
    expect(refused).toMatchObject({ type: 'refused', reason: 'too-long' });
    expect(JSON.stringify(refused)).toContain('101 tekens');
    const closed = new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)));
    client.socket.send('y'.repeat(200_000));
    expect(await closed).toBe(1009);
  });

  it('falls back to Server-Sent Events with messages posted to /chat/send', async () => {
    const server = await start();
    const cookie = await residentCookie(server.url);
    const controller = new AbortController();
    const events = await fetch(`${server.url}/chat/events`, {
      headers: { Cookie: cookie },
      signal: controller.signal,
    });
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = events.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    let received = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(received)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        received += Buffer.from(value).toString('utf8');
      }
    };
    await readUntil(/"type":"history"/);
    const id = clientMessageId();
    const post = async () =>
      await fetch(`${server.url}/chat/send`, {
        method: 'POST',
        headers: { Cookie: cookie, Origin: server.url, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'send', id, text: 'hallo' }),
      }).then((r) => r.json());
    expect(await post()).toEqual({ type: 'ack', id });
    expect(await post()).toEqual({ type: 'ack', id });
    await readUntil(/Waar kan ik u mee helpen/);
    controller.abort();
    expect(await count(server, `SELECT COUNT(*) AS n FROM inbound WHERE kind = 'message'`)).toBe(1);
  });

  it('works as a plain form without JavaScript: post, redirect, and the page shows the answer; a form without its token sends nothing', async () => {
    const server = await start();
    const cookie = await residentCookie(server.url);
    const page = await (await fetch(`${server.url}/chat`, { headers: { Cookie: cookie } })).text();
    const token = /name="token" value="([^"]+)"/.exec(page)![1]!;
    const cmid = /name="cmid" value="([^"]+)"/.exec(page)![1]!;
    const post = (form: Record<string, string>) =>
      fetch(`${server.url}/chat?lang=nl`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    const sent = await post({ token, cmid, text: 'hallo' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/chat?lang=nl#spreekuur-input');
    // The same form posted twice (a double click, a resend) is handled once.
    expect((await post({ token, cmid, text: 'hallo' })).status).toBe(303);
    const after = await (await fetch(`${server.url}/chat?lang=nl`, { headers: { Cookie: cookie } })).text();
    expect(after).toContain('Welkom bij het chatspreekuur');
    expect(after).toMatch(
      /<button class="[^"]*spreekuur-choice" type="submit" name="choice" value="[^"]+">Wie is mijn wijkwethouder\?<\/button>/,
    );
    const forged = await post({ token: 'wrong', cmid: 'abcdefgh1234', text: 'stop' });
    expect(forged.status).toBe(200);
    expect(await forged.text()).toContain('>stop</textarea>');
    expect(await count(server, `SELECT COUNT(*) AS n FROM inbound WHERE kind = 'message'`)).toBe(1);
  });

  it('escapes every resident text in the page, and makes only http(s) addresses into links', async () => {
    const server = await start();
    const client = await open(server);
    for (const payload of XSS_PAYLOADS.slice(0, 20)) await client.send(payload);
    await client.send('zie https://www.rijswijk.nl/privacy. en javascript:alert(1)');
    await server.t.app.settle();
    const html = await (await fetch(`${server.url}/chat`, { headers: { Cookie: client.cookie } })).text();
    const body = html.slice(html.indexOf('<ol'), html.indexOf('</ol>'));
    expect(body).not.toMatch(/<(script|img|svg|iframe|details|input|video|audio|object|embed|math|body)\b/i);
    expect(body).toContain('&lt;script&gt;window.__xss(1)&lt;/script&gt;');
    expect(body).toContain(
      '<a class="utrecht-link" href="https://www.rijswijk.nl/privacy" target="_blank" rel="noopener noreferrer">https://www.rijswijk.nl/privacy<span',
    );
    expect(body).not.toMatch(/href="javascript/i);
  });

  it('"clear this chat" forgets the cookie on this device and tells its other open tabs', async () => {
    const server = await start();
    const tab = await open(server);
    await tab.send('hallo');
    const forgot = await fetch(`${server.url}/chat/forget`, {
      method: 'POST',
      headers: { Cookie: tab.cookie, Origin: server.url, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(forgot.status).toBe(200);
    expect(forgot.headers.get('set-cookie')).toMatch(/^spreekuur_chat=; .*Expires=Thu, 01 Jan 1970/);
    await tab.next((f) => f.type === 'forgotten');
  });

  it('links a staff member who sends "koppel <code>" in the web chat', async () => {
    const server = await start();
    const client = await open(server);
    const code = await server.t.driver.staffCode!('anna-de-vries');
    await client.send(`koppel ${code}`);
    await server.t.app.settle();
    await client.ping();
    expect(
      client
        .entries()
        .map((e) => e.text)
        .join('\n'),
    ).toMatch(/gekoppeld|linked/i);
    const rows = await server.t.app.uow.run((r) => r.staff.identitiesOf('anna-de-vries'));
    expect(rows.map((a) => a.channel)).toEqual(['web']);
    expect(rows[0]?.userId).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
