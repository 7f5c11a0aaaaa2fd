/**
 * The engine in distributed mode: PostgreSQL + BullMQ, with N service processes (bench/engine-process.mjs)
 * sharing the conversations. Each message counts once it is stored, handled and its replies committed
 * to the outbox. Also the memory of one process that walked 10,000 conversations. The processes run
 * the compiled service under plain node, as production does, when `npm run build` made dist/ from the
 * current sources; else the sources through tsx (whose loader thread adds some 25 MB to each RSS).
 * Before the timed walk each process warms up on conversations of its own (other ids, not counted,
 * not timed), WARMUP_CONVERSATIONS of them in rounds of WARMUP_ROUND (`warmUp`): a fresh process is
 * cold (JIT, new PostgreSQL connections, statements not yet prepared, its heap still sizing itself),
 * and the figures are meant as a long-running service's steady state. One morning's rounds of 500
 * cost 0.64, 0.44, 0.43, 0.30 and 0.27 ms of CPU per message, and the timed walk after them 0.20.
 * The first and last round's figures are part of the result, so the cold process stays visible.
 * The replies are counted from the database once both processes are done, not from what each
 * process saw during its walk: any process may deliver a reply of another's conversation (its outbox
 * sweep, or the safety-net sweep that handles messages left pending), also after that process
 * answered. Every reply must have been sent exactly once (see `checkReplies`), or the run fails.
 * Prints nothing; bench/index.ts prints.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { buildState } from '../bin/built.mjs';
import { SERVICE_NODE_FLAGS } from '../bin/service-flags.mjs';
import { isReachable } from '../test/support/net.js';
import { adminQuery, deleteKeys, percentile } from './support.js';
import { Database } from '../src/storage/database.js';

/** What the parent asks of a process: walk conversations `walk[0]` up to `walk[1]` (ids `${users}${n}`). */
interface WalkRequest {
  walk: [number, number];
  inFlight: number;
  users: string;
}

/** What a process answers: each message's latency, the replies sent, its CPU and memory. */
interface WalkResult {
  latencies: number[];
  /** CPU (user + system) the process spent during the walk, in ms. */
  cpuMs: number;
  /** PostgreSQL statements that stored or saved turns during the walk, and the turns written through them. */
  turnStatements: number;
  turnWrites: number;
  /** Replies to the walk's users this process had sent when it answered. */
  delivered: number;
  rssBytes: number;
  heapUsedBytes: number;
}

/** Whether the processes run the compiled service (a build of the current sources exists). */
const COMPILED = buildState('.', 'dist').state === 'built';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Conversations walked at the same time by each process. */
const IN_FLIGHT = 32;
/**
 * Conversations each process walks before the timed walk, in rounds of WARMUP_ROUND (BENCH_WARMUP
 * overrides; 0: none). A warm-up of 200 (four messages each) left the timed walk at 1,000
 * conversations still cold: 0.46-0.50 ms of the service's CPU per message, against 0.36 after 1,000
 * conversations of warm-up, 0.19-0.22 after 2,500 and 0.17-0.18 after 5,000 (one morning's runs on
 * this machine), and a p99 of 60-85 ms against 31-41 ms after 2,500 or more.
 */
const WARMUP_CONVERSATIONS = Number(process.env.BENCH_WARMUP ?? 2500);
const WARMUP_ROUND = 500;

interface WarmUp {
  /** Conversations each process walked before the timed walk. */
  conversations: number;
  rounds: number;
  /** The service's CPU per message in the first and in the last round, in ms. */
  firstCpuMsPerMessage: number;
  lastCpuMsPerMessage: number;
  firstMessagesPerSecond: number;
  firstP99Ms: number;
}

export interface DistributedRun {
  messagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  messages: number;
  /** Replies to the walked conversations, each sent once and marked delivered (`checkReplies`). */
  delivered: number;
  /** Of those, sent after the processes answered their walks (by an outbox sweep). */
  deliveredAfterWalk: number;
  /** Of those, sent by another process than the one that walked the conversation. */
  deliveredByOther: number;
  /** CPU per message during the timed walk, in ms: the service processes, and their PostgreSQL
   * backends (read from /proc; NaN when PostgreSQL runs elsewhere). Unlike msg/s, these hardly depend
   * on what else the machine is doing. */
  nodeCpuMsPerMessage: number;
  postgresCpuMsPerMessage: number;
  /**
   * Turns written per statement of the turn (store-and-read and save), over the processes: 1 when
   * each went alone; more when turns of different conversations shared one (group commit).
   */
  turnsPerStatement: number;
  /** The largest RSS of the processes after the run, in MB. */
  maxRssMb: number;
  /** Whether the bench analysed the tables after the warm-up (the server runs without autovacuum). */
  analyzedByBench: boolean;
  warmUp: WarmUp;
}

/**
 * Untimed warm-up on conversations of each process's own that the timed walk never meets, in rounds
 * of WARMUP_ROUND conversations per process (BENCH_WARMUP_TRACE=1 prints each round's cost).
 */
async function warmUp(children: ChildProcess[], conversations: number, schema: string): Promise<WarmUp> {
  const walkRound = async (from: number, to: number) => {
    const started = performance.now();
    const results = await Promise.all(
      children.map((child, i) => ask(child, { walk: [from, to], inFlight: IN_FLIGHT, users: `warm-${i}-` })),
    );
    const seconds = (performance.now() - started) / 1000;
    // As autovacuum would while the tables grow: else every round ran on plans for empty tables, and
    // the rounds' costs said more about those plans than about the processes warming up.
    await analyzeWithoutAutovacuum(schema);
    const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
    return {
      cpuMsPerMessage: results.reduce((sum, r) => sum + r.cpuMs, 0) / Math.max(1, latencies.length),
      messagesPerSecond: latencies.length / seconds,
      p99Ms: percentile(latencies, 0.99),
    };
  };
  const rounds = [];
  for (let from = 0; from < conversations; from += WARMUP_ROUND) {
    const result = await walkRound(from, Math.min(conversations, from + WARMUP_ROUND));
    rounds.push(result);
    if (process.env.BENCH_WARMUP_TRACE)
      console.error(
        `warm-up round ${rounds.length}: ${result.cpuMsPerMessage.toFixed(3)} ms CPU per message`,
      );
  }
  return {
    conversations,
    rounds: rounds.length,
    firstCpuMsPerMessage: round(rounds[0]?.cpuMsPerMessage ?? 0, 3),
    lastCpuMsPerMessage: round(rounds.at(-1)?.cpuMsPerMessage ?? 0, 3),
    firstMessagesPerSecond: Math.round(rounds[0]?.messagesPerSecond ?? 0),
    firstP99Ms: round(rounds[0]?.p99Ms ?? 0),
  };
}

/**
 * A long-running PostgreSQL analyses its tables by itself (autovacuum, on by default): the planner
 * then knows their sizes. A server with autovacuum off (this machine's shared one) never does, and a
 * fresh schema's plans stay those for empty tables: the outbox sweep reads the whole outbox at every
 * claim, for one. So that the timed walk measures the service as it runs in production, the bench
 * analyses the schema's tables after the warm-up, as autovacuum would have, only on such a server.
 */
async function analyzeWithoutAutovacuum(schema: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ autovacuum: string }>(`SHOW autovacuum`);
    if (rows[0]?.autovacuum === 'on') return false;
    const tables = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = $1`,
      [schema],
    );
    for (const { tablename } of tables.rows)
      await client.query(`ANALYZE ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(tablename)}`);
    return true;
  } finally {
    await client.end();
  }
}

/** Runs `conversations` conversations over `processes` service processes on a fresh schema and Redis prefix. */
export async function benchDistributed(
  conversations: number,
  processes: number,
  warmUpConversations = WARMUP_CONVERSATIONS,
): Promise<DistributedRun> {
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const prefix = `bench-${randomUUID()}`;
  await adminQuery(POSTGRES_URL, `CREATE SCHEMA ${schema}`);
  const databaseUrl = `${POSTGRES_URL}?schema=${schema}`;
  // Migrate once here, so the processes do not race to create the tables.
  await (await Database.open({ kind: 'postgres', url: POSTGRES_URL, schema })).close();
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < processes; i++) children.push(await startProcess(databaseUrl, prefix));
    const warm = await warmUp(children, warmUpConversations, schema);
    const analyzedByBench = await analyzeWithoutAutovacuum(schema);
    const per = Math.ceil(conversations / processes);
    const backendsBefore = await backendCpu(schema);
    const started = performance.now();
    const results = await Promise.all(
      children.map((child, i) =>
        ask(child, {
          walk: [i * per, Math.min(conversations, (i + 1) * per)],
          inFlight: IN_FLIGHT,
          users: 'bench-',
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const backendsAfter = await backendCpu(schema);
    const replies = await checkReplies(POSTGRES_URL, schema, children, per);
    const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
    return {
      messagesPerSecond: Math.round(latencies.length / seconds),
      p50Ms: round(percentile(latencies, 0.5)),
      p99Ms: round(percentile(latencies, 0.99)),
      messages: latencies.length,
      delivered: replies.delivered,
      deliveredAfterWalk: replies.delivered - results.reduce((sum, r) => sum + r.delivered, 0),
      deliveredByOther: replies.byOther,
      nodeCpuMsPerMessage: round(results.reduce((sum, r) => sum + r.cpuMs, 0) / latencies.length, 3),
      postgresCpuMsPerMessage: round(
        [...backendsAfter].reduce((sum, [pid, ms]) => sum + ms - (backendsBefore.get(pid) ?? 0), 0) /
          latencies.length,
        3,
      ),
      turnsPerStatement: round(
        results.reduce((sum, r) => sum + r.turnWrites, 0) /
          Math.max(
            1,
            results.reduce((sum, r) => sum + r.turnStatements, 0),
          ),
        2,
      ),
      maxRssMb: Math.round(Math.max(...results.map((r) => r.rssBytes)) / 1048576),
      analyzedByBench,
      warmUp: warm,
    };
  } finally {
    await Promise.all(children.map(stopProcess));
    await adminQuery(POSTGRES_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await deleteKeys(REDIS_URL, `${prefix}:*`);
  }
}

function startProcess(databaseUrl: string, prefix: string): Promise<ChildProcess> {
  const [entry, args] = COMPILED
    ? ['bench/engine-process.mjs', []]
    : ['bin/run-ts.mjs', ['bench/engine-process.mjs']];
  const child = fork(entry, args, {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      BENCH_QUEUE_PREFIX: prefix,
      BENCH_COMPILED: COMPILED ? '1' : '0',
      // Names the processes' PostgreSQL connections, so their backends' CPU can be read.
      PGAPPNAME: `bench-${databaseUrl.split('schema=')[1]}`,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Started with the V8 flags production uses (Dockerfile, npm start), so its memory is theirs.
    execArgv: [
      ...SERVICE_NODE_FLAGS,
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=var/profiles'] : []),
    ],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`bench process exited with ${code} before it was ready`)));
  });
}

function ask(child: ChildProcess, request: WalkRequest): Promise<WalkResult>;
function ask(child: ChildProcess, request: { sent: string }): Promise<{ sent: number[] }>;
function ask(child: ChildProcess, request: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`bench process exited with ${code}`)));
    child.send(request);
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.disconnect();
  });
}

/** Distributed-mode figures at 1,000 and 10,000 conversations (2 processes) and one process's RSS. */
export async function benchEngineDistributed(): Promise<Record<string, number>> {
  // 1: the compiled service under plain node (as in production); 0: the sources through tsx.
  const results: Record<string, number> = { 'engine.distributed.compiled': COMPILED ? 1 : 0 };
  if (!(await isReachable(POSTGRES_URL, 5432)) || !(await isReachable(REDIS_URL, 6379))) {
    results['engine.distributed.skipped_postgres_or_redis_unreachable'] = 0;
    return results;
  }
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  for (const conversations of [1_000, 10_000].map((n) => Math.max(10, Math.round(n * scale)))) {
    const r = await benchDistributed(conversations, 2);
    const key = `engine.distributed.2_workers.c${conversations}`;
    results[`${key}.msg_per_s`] = r.messagesPerSecond;
    results[`${key}.p50_ms`] = r.p50Ms;
    results[`${key}.p99_ms`] = r.p99Ms;
    results[`${key}.messages`] = r.messages;
    results[`${key}.replies_delivered`] = r.delivered;
    results[`${key}.replies_after_walk`] = r.deliveredAfterWalk;
    results[`${key}.replies_by_other_process`] = r.deliveredByOther;
    results[`${key}.cpu_ms_per_msg.node`] = r.nodeCpuMsPerMessage;
    results[`${key}.cpu_ms_per_msg.postgres`] = r.postgresCpuMsPerMessage;
    results[`${key}.turns_per_statement`] = r.turnsPerStatement;
    // 1: the server runs without autovacuum, and the bench analysed the tables after the warm-up.
    results[`${key}.tables_analyzed_by_bench`] = r.analyzedByBench ? 1 : 0;
    // The warm-up before the timed walk: how long, and the cold process it started from.
    results[`${key}.warmup.conversations_per_process`] = r.warmUp.conversations;
    results[`${key}.warmup.rounds`] = r.warmUp.rounds;
    results[`${key}.warmup.first_round.msg_per_s`] = r.warmUp.firstMessagesPerSecond;
    results[`${key}.warmup.first_round.p99_ms`] = r.warmUp.firstP99Ms;
    results[`${key}.warmup.first_round.cpu_ms_per_msg.node`] = r.warmUp.firstCpuMsPerMessage;
    results[`${key}.warmup.last_round.cpu_ms_per_msg.node`] = r.warmUp.lastCpuMsPerMessage;
  }
  // The memory of one process holding 10,000 conversations: warmed up on 200 of its own only, as
  // before the steady-state warm-up, so that it holds 10,200 and not up to 16,000.
  const one = await benchDistributed(
    Math.max(10, Math.round(10_000 * scale)),
    1,
    Math.min(200, WARMUP_CONVERSATIONS),
  );
  results[`engine.distributed.1_process.c${Math.max(10, Math.round(10_000 * scale))}.msg_per_s`] =
    one.messagesPerSecond;
  results['rss_mb.one_process_10000_conversations'] = one.maxRssMb;
  return results;
}

/** How long `checkReplies` waits for replies still in the outbox: a claim (60 s) and some sweeps. */
const REPLY_WAIT_MS = 75_000;

/** The timed walk's residents (user ids `bench-<n>`), as a LIKE pattern. */
const WALKED = 'bench-%';

/**
 * Checks the replies of the timed walk against the database, once every process answered: waits (at
 * most REPLY_WAIT_MS) until every message is handled and no reply is left in the outbox, then fails
 * unless every reply is marked delivered and the processes together sent each exactly once. Returns
 * the replies, and how many of them another process than the conversation's own sent (conversations
 * `i * per` up to `(i + 1) * per` are process `i`'s).
 */
async function checkReplies(
  url: string,
  schema: string,
  children: ChildProcess[],
  per: number,
): Promise<{ delivered: number; byOther: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = performance.now() + REPLY_WAIT_MS;
    let left = await leftOver(client, schema);
    while ((left.pending > 0 || left.unhandled > 0) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      left = await leftOver(client, schema);
    }
    const { rows } = await client.query<{ id: number; user_id: string; sent: boolean }>(
      `SELECT id, user_id, status = 'sent' AND delivered_at IS NOT NULL AS sent FROM ${schema}.outbox
       WHERE kind = 'message' AND user_id LIKE $1`,
      [WALKED],
    );
    const sends = await Promise.all(children.map((child) => ask(child, { sent: 'bench-' })));
    const owner = new Map(rows.map((r) => [Number(r.id), Math.floor(Number(r.user_id.slice(6)) / per)]));
    const { times, byOther } = tally(
      sends.map((s) => s.sent),
      owner,
    );
    const problems = [
      ...(rows.length === 0 ? ['none in the outbox'] : []),
      ...(left.unhandled ? [`${left.unhandled} messages not handled`] : []),
      ...(left.deadLetters ? [`${left.deadLetters} dead letters`] : []),
      listed(
        'not marked delivered',
        rows.filter((r) => !r.sent).map((r) => Number(r.id)),
      ),
      listed(
        'never sent',
        rows.filter((r) => !times.has(Number(r.id))).map((r) => Number(r.id)),
      ),
      listed(
        'sent more than once',
        [...times].filter(([, n]) => n > 1).map(([id]) => id),
      ),
      listed(
        'sent but not in the outbox',
        [...times.keys()].filter((id) => !owner.has(id)),
      ),
    ].filter((problem) => problem !== '');
    if (problems.length) throw new Error(`replies (${rows.length} in the outbox): ${problems.join('; ')}`);
    return { delivered: rows.length, byOther };
  } finally {
    await client.end();
  }
}

/** How often each outbox id was sent (`sent[i]`: process `i`'s), and how many sends were not its owner's. */
function tally(
  sent: number[][],
  owner: Map<number, number>,
): { times: Map<number, number>; byOther: number } {
  const times = new Map<number, number>();
  let byOther = 0;
  sent.forEach((ids, process) => {
    for (const id of ids) {
      times.set(id, (times.get(id) ?? 0) + 1);
      if (owner.get(id) !== process) byOther++;
    }
  });
  return { times, byOther };
}

/** What is left of the timed walk: messages not handled, replies not delivered, dead letters. */
async function leftOver(
  client: pg.Client,
  schema: string,
): Promise<{ unhandled: number; pending: number; deadLetters: number }> {
  const { rows } = await client.query<Record<'unhandled' | 'pending' | 'dead', string>>(
    `SELECT (SELECT count(*) FROM ${schema}.inbound WHERE conversation_key LIKE 'console:' || $1
               AND status <> 'done') AS unhandled,
            (SELECT count(*) FROM ${schema}.outbox WHERE kind = 'message' AND user_id LIKE $1
               AND status = 'pending') AS pending,
            (SELECT count(*) FROM ${schema}.dead_letters WHERE user_id LIKE $1) AS dead`,
    [WALKED],
  );
  const row = rows[0];
  return { unhandled: Number(row?.unhandled), pending: Number(row?.pending), deadLetters: Number(row?.dead) };
}

/** `ids` as a problem ('' when there are none): how many replies, what about them, the first ids. */
function listed(what: string, ids: number[]): string {
  return ids.length ? `${ids.length} ${what} (outbox ids ${ids.slice(0, 10).join(', ')})` : '';
}

/**
 * CPU used so far (ms) by each PostgreSQL backend serving the benchmark's processes, by pid, from
 * /proc (utime + stime in clock ticks of 10 ms); empty when PostgreSQL is not on this machine.
 */
async function backendCpu(schema: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      [`bench-${schema}`],
    );
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
      // The fields after the command name: utime and stime are the 12th and 13th.
      const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields) cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    }
    return cpu;
  } finally {
    await client.end();
  }
}

function round(n: number, digits = 2): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}
