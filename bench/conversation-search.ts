/**
 * Chat-log search: 100,000 stored messages over 5,000 conversations, then 200 searches of mixed
 * queries (one common word, two words, a rare word, a word with a channel or "asked for a person"
 * filter, no words with a date range), each as the dashboard asks (first page of 26). Figures are
 * p50 and p95 milliseconds per search, on a SQLite file and (when it answers) PostgreSQL in a
 * throw-away schema. Prints nothing; bench/index.ts prints.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConversationQuery } from '../src/ports/conversation-search.js';
import { queryWords, searchText } from '../src/shared/search-words.js';
import type { DatabaseTarget } from '../src/storage/database-url.js';
import { Database } from '../src/storage/database.js';
import { createUnitOfWork } from '../src/storage/unit-of-work.js';
import { isReachable } from '../test/support/net.js';
import { adminQuery } from './support.js';

const MESSAGES = 100_000;
const CONVERSATIONS = 5_000;
const SEARCHES = 200;
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHANNELS = ['whatsapp', 'telegram', 'web', 'console'];
const START = Date.UTC(2026, 0, 5, 8);

/** What residents write about, common words first (picked with a skew towards the start). */
const WORDS = (
  'afval container vuilnisbak geleegd straat lantaarnpaal kapot afspraak wethouder parkeren vergunning ' +
  'paspoort rijbewijs bomen park lawaai buren fiets gestolen stoep gat riolering water overlast hond ' +
  'speeltuin school bus tram trein verlichting sneeuw gladheid strooien subsidie belasting woz aanslag ' +
  'bezwaar melding klacht compliment wijk centrum markt evenement festival muziek nacht ochtend middag ' +
  'avond maandag dinsdag woensdag donderdag vrijdag zaterdag zondag graag vraag antwoord wanneer waarom ' +
  'hoelang bedankt alstublieft hallo goedemorgen gemeente loket balie telefoon email adres postcode ' +
  'verhuizing inschrijving geboorte huwelijk overlijden uittreksel identiteitskaart'
).split(' ');
const RARE = ['schildpad', 'carillon', 'dakkapel', 'zwerfkat', 'glasbak', 'snoeiafval', 'bankje', 'kermis'];

/**
 * A small deterministic generator (mulberry32), so every run stores the same messages. It works in
 * 32-bit integers: the earlier LCG multiplied past 2^53, lost precision and cycled after a few
 * hundred values (100,000 messages held 765 different texts in 703 of the 5,000 conversations).
 */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function message(next: () => number): string {
  const n = 5 + Math.floor(next() * 10);
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    if (next() < 0.002) words.push(RARE[Math.floor(next() * RARE.length)]!);
    else words.push(WORDS[Math.floor(next() ** 2 * WORDS.length)]!);
  }
  return `${words.join(' ')}?`;
}

async function fill(db: Database): Promise<void> {
  const next = rng(42);
  const p = (n: number) => (db.kind === 'postgres' ? `$${n}` : '?');
  const insert = async (sqlHead: string, width: number, rows: unknown[][]) => {
    let n = 0;
    const values = rows.map(() => `(${Array.from({ length: width }, () => p(++n)).join(', ')})`).join(', ');
    await db.run((m) => m.query(`${sqlHead} VALUES ${values}`, rows.flat()));
  };
  const batch = 100;
  for (let c = 0; c < CONVERSATIONS; c += batch) {
    const rows: unknown[][] = [];
    for (let i = c; i < Math.min(CONVERSATIONS, c + batch); i++)
      rows.push([`${CHANNELS[i % 4]}:u${i}`, CHANNELS[i % 4], `u${i}`, i % 25 === 0 ? 1 : 0, START, START]);
    await insert(
      'INSERT INTO conversations (key, channel, user_id, needs_human, created_at, updated_at)',
      6,
      rows,
    );
  }
  await db.transaction(async (m) => {
    for (let start = 0; start < MESSAGES; start += batch) {
      const rows: unknown[][] = [];
      for (let i = start; i < Math.min(MESSAGES, start + batch); i++) {
        const conversation = Math.floor(next() * CONVERSATIONS);
        const text = message(next);
        const key = `${CHANNELS[conversation % 4]}:u${conversation}`;
        rows.push([`b:${i}`, key, 'message', text, 'done', START + i * 60_000, searchText(text)]);
      }
      let n = 0;
      const values = rows.map(() => `(${Array.from({ length: 7 }, () => p(++n)).join(', ')})`).join(', ');
      await m.query(
        `INSERT INTO inbound (dedupe_key, conversation_key, kind, text, status, received_at, search_text) VALUES ${values}`,
        rows.flat(),
      );
    }
  });
  if (db.kind === 'postgres') await db.run((m) => m.query('ANALYZE'));
}

function queries(): Omit<ConversationQuery, 'scope' | 'limit' | 'offset'>[] {
  const next = rng(7);
  const pick = (list: string[]) => list[Math.floor(next() * list.length)]!;
  const out: Omit<ConversationQuery, 'scope' | 'limit' | 'offset'>[] = [];
  for (let i = 0; i < SEARCHES; i++) {
    switch (i % 5) {
      case 0:
        out.push({ words: queryWords(pick(WORDS.slice(0, 10))) });
        break;
      case 1:
        out.push({ words: queryWords(`${pick(WORDS)} ${pick(WORDS)}`) });
        break;
      case 2:
        out.push({ words: queryWords(pick(RARE)) });
        break;
      case 3:
        out.push({
          words: queryWords(pick(WORDS)),
          ...(i % 2 ? { channel: pick(CHANNELS) } : { needsHuman: true }),
        });
        break;
      default: {
        const from = new Date(START + Math.floor(next() * MESSAGES) * 60_000);
        out.push({ words: [], from, until: new Date(from.getTime() + 86_400_000) });
      }
    }
  }
  return out;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

async function measure(target: DatabaseTarget): Promise<{ p50: number; p95: number }> {
  const db = await Database.open(target);
  try {
    await fill(db);
    const uow = createUnitOfWork(db);
    const times: number[] = [];
    for (const q of queries()) {
      const started = performance.now();
      await uow.run((r) =>
        r.conversationSearch.search({ ...q, scope: { kind: 'all' }, limit: 26, offset: 0 }),
      );
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
  } finally {
    await db.close();
  }
}

/** p50 and p95 of chat-log searches over 100,000 messages, on each database that can run here. */
export async function benchConversationSearch(): Promise<Record<string, number>> {
  const results: Record<string, number> = {};
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-bench-'));
  try {
    const r = await measure({ kind: 'sqlite', file: join(dir, 'bench.db') });
    results['search.sqlite.p50_ms'] = r.p50;
    results['search.sqlite.p95_ms'] = r.p95;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (await isReachable(POSTGRES_URL, 5432)) {
    const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await adminQuery(POSTGRES_URL, `CREATE SCHEMA ${schema}`);
    try {
      const r = await measure({ kind: 'postgres', url: POSTGRES_URL, schema });
      results['search.postgres.p50_ms'] = r.p50;
      results['search.postgres.p95_ms'] = r.p95;
    } finally {
      await adminQuery(POSTGRES_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  }
  return results;
}
