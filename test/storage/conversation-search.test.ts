import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationScope, mayRead } from '../../src/features/chat-logs/policy.js';
import type { Booking } from '../../src/ports/booking-repository.js';
import type { Case } from '../../src/ports/case-repository.js';
import type { ConversationQuery, ConversationScope } from '../../src/ports/conversation-search.js';
import type { UnitOfWork } from '../../src/ports/unit-of-work.js';
import { queryWords, searchText } from '../../src/shared/search-words.js';
import { Database } from '../../src/storage/database.js';
import { createUnitOfWork } from '../../src/storage/unit-of-work.js';
import { databaseKinds, freshTarget } from '../support/services.js';

const at = (m: number) => new Date(Date.UTC(2026, 10, 2, 9, m, 0));
const A = { channel: 'telegram', userId: '1001' };
const B = { channel: 'whatsapp', userId: '31612345678' };
const C = { channel: 'web', userId: 'w-3' };
const D = { channel: 'telegram', userId: '2002' }; // alderman Jansen's own phone
const E = { channel: 'console', userId: 'local' };
const key = (a: { channel: string; userId: string }) => `${a.channel}:${a.userId}`;

/** Messages in the order they arrive (their minute is their index). */
const messages: [typeof A, string][] = [
  [A, 'De lantaarnpaal in onze straat is kapot'],
  [B, 'Mijn vuilnisbakken zijn niet geleegd!'],
  [C, 'Ik wil graag een afspraak met de wethouder over de bomen in het park'],
  [A, 'Wanneer komen ze de lantaarnpalen repareren?'],
  [B, 'Het Café op de hoek maakt elke nacht lawaai'],
  [D, 'Ik ben er om 14:00 voor het spreekuur'],
  [E, 'Eén boom is omgevallen in de Dorpsstraat; de straat is dicht'],
  [B, 'Wanneer wordt de vuilnisbak geleegd? Container 12 staat vol'],
];

/** Dutch queries and the conversations each must find, latest match first, on every database. */
const expected: [string, Partial<ConversationQuery>, string[]][] = [
  ['lantaarnpaal', {}, [key(A)]],
  ['LANTAARNPALEN', {}, [key(A)]],
  ['bomen', {}, [key(E), key(C)]],
  ['één boom', {}, [key(E), key(C)]],
  ['cafe', {}, [key(B)]],
  ['café lawaai', {}, [key(B)]],
  ['vuilnisbakken', {}, [key(B)]],
  ['vuilnisbak geleegd', {}, [key(B)]],
  ['straat', {}, [key(E), key(A)]],
  ['straat kapot', {}, [key(A)]],
  ['container 12', {}, [key(B)]],
  ['12', {}, [key(B)]],
  ['wethouder', {}, [key(C)]],
  ['spreekuur', {}, [key(D)]],
  ['repareren kapot', {}, []],
  ['lantarenpaal', {}, []],
  ['de het een', {}, [key(B), key(E), key(D), key(A), key(C)]],
  ['', { channel: 'telegram' }, [key(D), key(A)]],
  ['lantaarnpaal', { channel: 'whatsapp' }, []],
  ['', { needsHuman: true }, [key(C)]],
  // The district the chat remembers (B), or a case's district (C).
  ['', { districtId: 'oud-rijswijk' }, [key(B)]],
  ['vuilnisbak', { districtId: 'oud-rijswijk' }, [key(B)]],
  ['', { districtId: 'rijswijk-buiten' }, [key(C)]],
  ['', { districtId: 'te-werve' }, []],
  ['', { reference: 'RSW-2026-000007' }, [key(C)]],
  ['', { reference: 'AFS-K7M2QX' }, [key(A)]],
  ['straat', { from: at(5), until: at(60) }, [key(E)]],
  ['straat', { until: at(1) }, [key(A)]],
  ['', { scope: { kind: 'department', id: 'afval' } }, [key(C)]],
  ['', { scope: { kind: 'department', id: 'wegen' } }, []],
  ['', { scope: { kind: 'alderman', id: 'jansen' } }, [key(D), key(A)]],
  ['bomen', { scope: { kind: 'alderman', id: 'jansen' } }, []],
];

function aCase(reference: string, residentKey: string, department: string): Case {
  return {
    id: `00000000-0000-4000-8000-00000000000${reference.slice(-1)}`,
    reference,
    residentKey,
    residentName: null,
    channel: residentKey.split(':')[0]!,
    language: 'nl',
    districtId: 'rijswijk-buiten',
    topic: 'groen',
    text: 'bomen in het park',
    kind: 'question',
    proposal: null,
    stage: null,
    status: 'routed',
    assignee: { type: 'department', id: department, name: 'Team Afval' },
    handler: null,
    waitingSince: null,
    answerBy: at(600),
    answer: null,
    answeredAt: null,
    reopenedCount: 0,
    promisedBy: null,
    rating: null,
    escalated: false,
    idempotencyKey: `idem-${reference}`,
    createdAt: at(3),
    updatedAt: at(3),
  };
}

function aBooking(reference: string, residentKey: string, aldermanId: string): Booking {
  return {
    id: '00000000-0000-4000-8000-0000000000b1',
    reference,
    aldermanId,
    slotStart: at(1000),
    slotEnd: at(1015),
    residentKey,
    residentFirstName: 'Sanne',
    topic: 'lantaarnpalen',
    kind: 'chat',
    place: 'chat',
    status: 'active',
    icsToken: 'tok-1',
    transcript: [],
    rating: null,
    createdAt: at(4),
    updatedAt: at(4),
  };
}

interface Store {
  uow: UnitOfWork;
  db: Database;
  ids: number[];
  close(): Promise<void>;
}

async function seeded(kind: 'sqlite' | 'postgres'): Promise<Store> {
  const fresh = await freshTarget(kind);
  const db = await Database.open(fresh.target);
  const uow = createUnitOfWork(db);
  const ids: number[] = [];
  for (const [i, [address, text]] of messages.entries()) {
    const id = await uow.transaction((r) =>
      r.conversations.storeInbound({ dedupeKey: `m${i}`, address, kind: 'message', text, now: at(i) }),
    );
    ids.push(id!);
  }
  // An event is not a message: never found.
  await uow.transaction((r) =>
    r.conversations.storeInbound({
      dedupeKey: 'ev1',
      address: A,
      kind: 'event',
      text: 'bomen',
      event: { name: 'timer', payload: {} },
      now: at(30),
    }),
  );
  await uow.transaction(async (r) => {
    await r.conversations.saveState(key(C), { lang: 'nl' }, at(2), { needsHuman: true });
    await r.conversations.saveState(
      key(B),
      { lang: 'nl', profile: { districtId: 'oud-rijswijk' } },
      at(7),
      {},
    );
    await r.cases.insertIfNew(aCase('RSW-2026-000007', key(C), 'afval'));
    await r.bookings.insert(aBooking('AFS-K7M2QX', key(A), 'jansen'));
    await r.staff.linkIdentity(D, 'jansen', at(5));
  });
  return {
    uow,
    db,
    ids,
    async close() {
      await db.close();
      await fresh.cleanup();
    },
  };
}

async function find(store: Store, q: string, extra: Partial<ConversationQuery> = {}): Promise<string[]> {
  const hits = await store.uow.run((r) =>
    r.conversationSearch.search({
      words: queryWords(q),
      scope: { kind: 'all' },
      limit: 50,
      offset: 0,
      ...extra,
    }),
  );
  return hits.map((h) => h.key);
}

const results: Record<string, string[][]> = {};

describe.each(databaseKinds)('conversation search on $kind', ({ kind, available }) => {
  let store: Store;
  beforeAll(async () => {
    if (available) store = await seeded(kind);
  });
  afterAll(async () => {
    await store?.close();
  });

  it.skipIf(!available)('finds conversations by Dutch words and filters, latest match first', async () => {
    const found: string[][] = [];
    for (const [q, extra, want] of expected) {
      const got = await find(store, q, extra);
      found.push(got);
      expect({ q, extra, got }).toEqual({ q, extra, got: want });
    }
    results[kind] = found;
  });

  it.skipIf(!available)('gives the snippet, match count and last message time of each hit', async () => {
    const [hit] = await store.uow.run((r) =>
      r.conversationSearch.search({
        words: queryWords('lantaarnpaal'),
        scope: { kind: 'all' },
        limit: 10,
        offset: 0,
      }),
    );
    expect(hit).toEqual({
      key: key(A),
      channel: 'telegram',
      needsHuman: false,
      lastMessageAt: at(3),
      snippet: { text: 'Wanneer komen ze de lantaarnpalen repareren?', at: at(3) },
      matches: 2,
      // No state stored for it yet.
      bot: null,
    });
  });

  it.skipIf(!available)('counts the conversations a query finds on all its pages', async () => {
    for (const [q, extra, want] of expected) {
      const words = queryWords(q);
      const count = await store.uow.run((r) =>
        r.conversationSearch.count({ words, scope: { kind: 'all' }, ...extra }),
      );
      expect({ q, extra, count }).toEqual({ q, extra, count: want.length });
    }
    const scoped = await store.uow.run((r) =>
      r.conversationSearch.count({ words: [], scope: conversationScope('department:afval') }),
    );
    expect(scoped).toBe(1);
  });

  it.skipIf(!available)('pages with limit and offset', async () => {
    const page = (offset: number) =>
      store.uow.run((r) =>
        r.conversationSearch.search({ words: [], scope: { kind: 'all' }, limit: 2, offset }),
      );
    const all = [...(await page(0)), ...(await page(2)), ...(await page(4))].map((h) => h.key);
    expect(all).toEqual([key(B), key(E), key(D), key(A), key(C)]);
  });

  it.skipIf(!available)('search scope and the open policy agree for every role', async () => {
    const scopes: ConversationScope[] = [
      conversationScope('operator'),
      conversationScope('department:afval'),
      conversationScope('alderman:jansen'),
      conversationScope('alderman:devries'),
    ];
    for (const scope of scopes) {
      const listed = await find(store, '', { scope });
      const readable: string[] = [];
      for (const k of [key(A), key(B), key(C), key(D), key(E)]) {
        const record = await store.uow.run((r) => r.conversationSearch.record(k, 100));
        if (record && mayRead(scope, record)) readable.push(k);
      }
      expect(listed.sort()).toEqual(readable.sort());
    }
  });

  it.skipIf(!available)(
    'reads a whole record: transcript in order with delivery, cases, bookings',
    async () => {
      await store.uow.transaction((r) =>
        r.conversations.addToOutbox(
          [{ kind: 'message', to: A, text: 'Dank u, we geven het door.', causeId: store.ids[0]! }],
          at(0),
          at(0),
        ),
      );
      const record = await store.uow.run((r) => r.conversationSearch.record(key(A), 100));
      expect(record?.lines.map((l) => [l.side, l.text, l.delivery ?? null])).toEqual([
        ['in', 'De lantaarnpaal in onze straat is kapot', null],
        ['out', 'Dank u, we geven het door.', 'pending'],
        ['in', 'Wanneer komen ze de lantaarnpalen repareren?', null],
      ]);
      expect(record?.bookings.map((b) => [b.reference, b.aldermanId])).toEqual([['AFS-K7M2QX', 'jansen']]);
      expect((await store.uow.run((r) => r.conversationSearch.record(key(D), 10)))?.aldermanId).toBe(
        'jansen',
      );
      // Where the bot is, from the conversation's stored state.
      await store.uow.transaction((r) =>
        r.conversations.saveState(
          key(E),
          {
            mode: 'human',
            lang: 'en',
            at: { flow: 'district', step: 'ask' },
            stack: [{ flow: 'book', step: 'pick' }],
          },
          at(8),
          {},
        ),
      );
      expect((await store.uow.run((r) => r.conversationSearch.record(key(E), 10)))?.bot).toEqual({
        mode: 'human',
        flow: 'district',
        step: 'ask',
        outer: ['book'],
        lang: 'en',
      });
      // Regression: the list of conversations did not say where each one stands (waiting for a person).
      const listed = await store.uow.run((r) =>
        r.conversationSearch.search({ words: [], scope: { kind: 'all' }, limit: 50, offset: 0 }),
      );
      expect(listed.find((h) => h.key === key(E))?.bot).toMatchObject({ mode: 'human', flow: 'district' });
      expect((await store.uow.run((r) => r.conversationSearch.record(key(B), 10)))?.bot).toEqual({
        mode: 'bot',
        flow: null,
        step: null,
        outer: [],
        lang: 'nl',
      });
      expect(await store.uow.run((r) => r.conversationSearch.record('telegram:nobody', 10))).toBeNull();
    },
  );

  it.skipIf(!available || kind !== 'postgres')(
    "PostgreSQL's parser splits search_text exactly into its words",
    async () => {
      const texts = [
        'mail@example.nl https://rijswijk.nl/afval?x=1 CO2-uitstoot 1e5 v1.2.3 06-12345678 abc123def 12a',
        'Één boom, twee bomen; 3,5 meter; 2026-12-01 om 14:00 — ß straße x7',
      ];
      for (const text of texts) {
        const words = searchText(text).split(' ');
        const rows = await store.db.run((m) =>
          m.query<{ w: string }[]>(`SELECT unnest(tsvector_to_array(to_tsvector('simple', $1))) AS w`, [
            searchText(text),
          ]),
        );
        expect(rows.map((r) => r.w).sort()).toEqual([...new Set(words)].sort());
      }
    },
  );

  it.skipIf(!available)('forgets a deleted message and a message whose text was erased', async () => {
    expect(await find(store, 'cafe')).toEqual([key(B)]);
    await store.db.run((m) => m.query(`DELETE FROM inbound WHERE id = ${store.ids[4]!}`));
    expect(await find(store, 'cafe')).toEqual([]);
    expect(await find(store, 'lawaai')).toEqual([]);
    if (kind === 'sqlite') {
      // The index removes a deleted row's words from its pages at once (secure-delete), not at a later merge.
      const config = await store.db.run((m) =>
        m.query<{ v: number }[]>(`SELECT v FROM inbound_fts_config WHERE k = 'secure-delete'`),
      );
      expect(config.map((c) => Number(c.v))).toEqual([1]);
    }
    expect(await find(store, 'wethouder')).toEqual([key(C)]);
    await store.db.run((m) =>
      m.query(`UPDATE inbound SET text = '[verwijderd]' WHERE id = ${store.ids[2]!}`),
    );
    expect(await find(store, 'wethouder')).toEqual([]);
    expect(await find(store, 'verwijderd')).toEqual([]);
    // The rest of the index still answers.
    expect(await find(store, 'lantaarnpaal')).toEqual([key(A)]);
  });
});

/**
 * SQLite's word index takes stored messages in batches of 64 (one index write per batch, not per
 * message): a search indexes what is still waiting first, so it finds the newest message; a message
 * deleted or erased before its batch never enters the index, and the index holds exactly the
 * messages' words (FTS5 integrity-check against the content table).
 */
describe('the SQLite word index in batches', () => {
  const sqlite = databaseKinds.find((d) => d.kind === 'sqlite');
  it.skipIf(!sqlite?.available)(
    'finds what waits for its batch and forgets what went before it',
    async () => {
      const fresh = await freshTarget('sqlite');
      const db = await Database.open(fresh.target);
      const store: Store = { uow: createUnitOfWork(db), db, ids: [], close: () => db.close() };
      try {
        const one = async (m: string) => (await db.run((x) => x.query<Record<string, number>[]>(m)))[0];
        const stored = async (n: number, text: string, address = A) => {
          const id = await store.uow.transaction((r) =>
            r.conversations.storeInbound({ dedupeKey: `b${n}`, address, kind: 'message', text, now: at(n) }),
          );
          store.ids.push(id!);
        };
        await stored(0, 'De fietsenstalling bij het station is vol');
        await stored(1, 'Nog een fietsenstalling graag', B);
        await stored(2, 'Fietsenstalling bij de bibliotheek', C);
        expect(await one(`SELECT indexed_upto AS n FROM inbound_fts_state`)).toEqual({ n: 0 });
        expect(await one(`SELECT COUNT(*) AS n FROM inbound_fts_docsize`)).toEqual({ n: 0 });
        // Deleted and erased before their batch: their words must never reach the index.
        await db.run((m) => m.query(`DELETE FROM inbound WHERE id = ${store.ids[1]!}`));
        await db.run((m) => m.query(`UPDATE inbound SET text = '[verwijderd]' WHERE id = ${store.ids[2]!}`));
        expect(await find(store, 'fietsenstalling')).toEqual([key(A)]);
        expect(await one(`SELECT indexed_upto AS n FROM inbound_fts_state`)).toEqual({ n: store.ids[2] });
        expect(await one(`SELECT COUNT(*) AS n FROM inbound_fts_docsize`)).toEqual({ n: 1 });
        // The 64th message brings its batch into the index without a search.
        for (let n = 3; n < 64; n++) await stored(n, `Melding ${n} over de stoep`, n % 2 ? D : E);
        expect(store.ids.at(-1)).toBe(64);
        expect(await one(`SELECT indexed_upto AS n FROM inbound_fts_state`)).toEqual({ n: 64 });
        expect(await one(`SELECT COUNT(*) AS n FROM inbound_fts_docsize`)).toEqual({ n: 62 });
        await stored(64, 'De stoep is weer heel');
        expect(await find(store, 'stoep heel')).toEqual([key(A)]);
        // Checked against the content table, which must then hold no row without words (as the erased one).
        await db.run((m) => m.query(`DELETE FROM inbound WHERE id = ${store.ids[2]!}`));
        await db.run((m) =>
          m.query(`INSERT INTO inbound_fts(inbound_fts, rank) VALUES ('integrity-check', 1)`),
        );
      } finally {
        await store.close();
        await fresh.cleanup();
      }
    },
  );
});

describe('the same results on both databases', () => {
  it.skipIf(!databaseKinds.every((d) => d.available))('SQLite and PostgreSQL agree on every query', () => {
    expect(results.sqlite).toBeDefined();
    expect(results.postgres).toEqual(results.sqlite);
  });
});

/**
 * Regression: search walks the matches newest first in a growing window and stops when a page is
 * full. Conversation X has 2,100 messages with 'afval' (more than SQLite reads through the word
 * index), Y one in between; a page of two must still be X then Y with X's full count, on every way
 * to the messages (time index, conversations first, word index).
 */
describe.each(databaseKinds)('search over many matches on $kind', ({ kind, available }) => {
  const X = { channel: 'telegram', userId: 'x' };
  const Y = { channel: 'web', userId: 'y' };
  const Z = { channel: 'whatsapp', userId: 'z' };
  let store: Store;
  beforeAll(async () => {
    if (!available) return;
    const fresh = await freshTarget(kind);
    const db = await Database.open(fresh.target);
    const uow = createUnitOfWork(db);
    const minute = (n: number) => new Date(Date.UTC(2026, 10, 1) + n * 60_000);
    await uow.transaction(async (r) => {
      await r.conversations.storeInbound({
        dedupeKey: 'z0',
        address: Z,
        kind: 'message',
        text: 'afval bij de kermis',
        now: minute(0),
      });
      for (let n = 1; n <= 2100; n++) {
        if (n === 1800)
          await r.conversations.storeInbound({
            dedupeKey: 'y0',
            address: Y,
            kind: 'message',
            text: 'Het afval is niet opgehaald',
            now: minute(n),
          });
        await r.conversations.storeInbound({
          dedupeKey: `x${n}`,
          address: X,
          kind: 'message',
          text: n % 2 ? 'afval' : 'nog meer afval op straat',
          now: minute(n),
        });
      }
      await r.conversations.saveState(key(Z), { lang: 'nl' }, minute(0), { needsHuman: true });
    });
    store = {
      uow,
      db,
      ids: [],
      async close() {
        await db.close();
        await fresh.cleanup();
      },
    };
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  const page = (q: string, limit: number, offset: number, extra: Partial<ConversationQuery> = {}) =>
    store.uow.run((r) =>
      r.conversationSearch.search({
        words: queryWords(q),
        scope: { kind: 'all' },
        limit,
        offset,
        ...extra,
      }),
    );

  it.skipIf(!available)('pages stay in order of the latest match, with whole counts', async () => {
    const first = await page('afval', 2, 0);
    expect(first.map((h) => [h.key, h.matches, h.snippet?.text])).toEqual([
      [key(X), 2100, 'nog meer afval op straat'],
      [key(Y), 1, 'Het afval is niet opgehaald'],
    ]);
    expect((await page('afval', 2, 1)).map((h) => [h.key, h.matches])).toEqual([
      [key(Y), 1],
      [key(Z), 1],
    ]);
    expect((await page('straat', 1, 0)).map((h) => [h.key, h.matches])).toEqual([[key(X), 1050]]);
    expect((await page('afval', 5, 0, { needsHuman: true })).map((h) => h.key)).toEqual([key(Z)]);
    expect((await page('kermis', 5, 0)).map((h) => h.key)).toEqual([key(Z)]);
    expect((await page('afval', 5, 0, { channel: 'web' })).map((h) => h.key)).toEqual([key(Y)]);
    const day = { from: new Date(Date.UTC(2026, 10, 1, 0, 30)), until: new Date(Date.UTC(2026, 10, 1, 1)) };
    expect((await page('', 5, 0, day)).map((h) => [h.key, h.matches])).toEqual([[key(X), 30]]);
  });
});
