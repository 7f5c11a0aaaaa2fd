/**
 * `npm run test:faults`: the service as three processes (one `channels` process polling the fake
 * Telegram, two `worker` processes) on a PostgreSQL and a Redis of the suite's own, under a steady
 * stream of residents, while one fault is injected per scenario. Each scenario ends with the check
 * in check.ts and prints what it checked, in counts; any problem makes the run exit 1.
 *
 * FAULTS_ONLY=sigkill,redis,postgres,sigterm,telegram picks scenarios (`steady`, the load without a
 * fault, runs only when named there); FAULTS_RATE (residents a second) and FAULTS_SECONDS set the
 * load; FAULTS_PG_PORT and FAULTS_REDIS_PORT fix the private servers' ports (free ones otherwise);
 * FAULTS_REPORT is where the counts go for .ci/run. Each scenario also prints the reply latency
 * (latency.ts), as figures.
 */
import { randomInt } from 'node:crypto';
import { FakeTelegramApi } from '../support/fake-telegram-api.js';
import { Cluster } from './cluster.js';
import { check, problems, runTimersNow, waitUntilQuiet, type LinkedAlderman } from './check.js';
import { serverPort } from '../support/net.js';
import { PrivatePostgres, PrivateRedis, sleep } from './private-services.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runLoad } from './residents.js';
import { replyLatency } from './latency.js';

// Free ports unless told: two runs on one machine (CI beside a developer) never meet.
const PG_PORT = Number(process.env.FAULTS_PG_PORT ?? (await serverPort()));
const REDIS_PORT = Number(process.env.FAULTS_REDIS_PORT ?? (await serverPort()));
const RATE = Number(process.env.FAULTS_RATE ?? 2);
const SECONDS = Number(process.env.FAULTS_SECONDS ?? 20);
/** Where the counts go for .ci/run (one scenario is one test). */
const REPORT = process.env.FAULTS_REPORT ?? 'var/faults-report.json';

const running = new Set<Cluster>();
/** Per scenario, the replies received more or fewer times than written (check.ts), also for FAULTS_REPORT. */
const replyDetails = new Map<string, string[]>();
/** The scenarios' clock folders (TEST_CLOCK_FILE), removed also when the run is cut short. */
const clockDirs = new Set<string>();

interface Scenario {
  name: string;
  title: string;
  /** Injects the fault while the load runs; returns what it did, in counts. */
  fault(ctx: Context): Promise<Record<string, number>>;
  /** Run only when FAULTS_ONLY names it (a measurement, not a fault). */
  optIn?: boolean;
  /** What the fault itself must have done (checked beside the common check). */
  verify?(counts: Record<string, number>): string[];
}

interface Context {
  cluster: Cluster;
  pg: PrivatePostgres;
  redis: PrivateRedis;
  api: FakeTelegramApi;
  loadDone: () => boolean;
  backlog: number[];
}

const scenarios: Scenario[] = [
  {
    name: 'steady',
    title: 'no fault: the steady load alone (FAULTS_ONLY=steady), for the reply latency',
    optIn: true,
    async fault() {
      return {};
    },
  },
  {
    name: 'sigkill',
    title: 'SIGKILL of a worker 20 times at random moments',
    async fault(ctx) {
      let kills = 0;
      for (let i = 0; i < 20; i++) {
        await sleep(randomInt(200, Math.max(400, (SECONDS * 1000) / 10)));
        // Killed wherever it is, also while it is still starting after the last kill.
        await ctx.cluster.restart(i % 2 === 0 ? 'worker-1' : 'worker-2', 'SIGKILL', false);
        kills++;
      }
      await ctx.cluster.settled();
      return { workers_killed: kills };
    },
    verify: (c) => (c.workers_killed === 20 ? [] : [`${c.workers_killed} of 20 kills`]),
  },
  {
    name: 'redis',
    title: 'Redis restarted empty in the middle (the sweep restores pending jobs)',
    async fault(ctx) {
      await sleep((SECONDS * 1000) / 2);
      await ctx.redis.restartEmpty(1000);
      return { redis_restarts: 1 };
    },
  },
  {
    name: 'postgres',
    title: 'PostgreSQL restarted in the middle (the service recovers by itself)',
    async fault(ctx) {
      await sleep((SECONDS * 1000) / 2);
      await ctx.pg.restart(2000);
      return { postgres_restarts: 1 };
    },
  },
  {
    name: 'sigterm',
    title: 'SIGTERM of every process under load, then a start',
    async fault(ctx) {
      await sleep((SECONDS * 1000) / 2);
      const codes = await Promise.all(
        ['channels', 'worker-1', 'worker-2'].map((n) => ctx.cluster.signal(n, 'SIGTERM')),
      );
      await Promise.all([
        ctx.cluster.start('channels', 'channels'),
        ctx.cluster.start('worker-1', 'worker'),
        ctx.cluster.start('worker-2', 'worker'),
      ]);
      return { processes_stopped: 3, clean_exits: codes.filter((c) => c === 0).length };
    },
    verify: (c) =>
      c.clean_exits === c.processes_stopped
        ? []
        : [`${c.processes_stopped! - c.clean_exits!} processes did not stop cleanly on SIGTERM`],
  },
  {
    name: 'telegram',
    title: 'the Telegram fake answering 429 and 5xx in bursts',
    async fault(ctx) {
      const counts = { bursts_429: 0, bursts_5xx: 0, get_updates_failed: 0 };
      const until = Date.now() + SECONDS * 700;
      for (let i = 0; Date.now() < until; i++) {
        await sleep(randomInt(2000, 4000));
        const status = [429, 502, 500][i % 3]!;
        ctx.api.refuseSendsFor(1500, status);
        if (status === 429) counts.bursts_429++;
        else counts.bursts_5xx++;
        if (i % 2 === 0) {
          ctx.api.failGetUpdates(2);
          counts.get_updates_failed += 2;
        }
      }
      const refused = ctx.api.sendAttempts.filter((a) => a.outcome !== 'accepted');
      return {
        ...counts,
        sends_refused_429: refused.filter((a) => a.outcome === 'rate-limited').length,
        sends_refused_5xx: refused.filter((a) => a.outcome === 'refused').length,
      };
    },
    verify: (c) =>
      c.sends_refused_429! > 0 && c.sends_refused_5xx! > 0
        ? []
        : ['the fake refused no send with 429 or with 5xx: the bursts were not tested'],
  },
];

async function runScenario(
  s: Scenario,
  index: number,
  pg: PrivatePostgres,
  redis: PrivateRedis,
): Promise<string[]> {
  const begun = Date.now();
  const database = `faults_${s.name}`;
  await pg.query(`DROP DATABASE IF EXISTS ${database}`);
  await pg.query(`CREATE DATABASE ${database}`);
  const api = await FakeTelegramApi.start();
  const prefix = `faults-${s.name}`;
  // The processes' clock: real time until runTimersNow moves it past the booked slots.
  const clockDir = mkdtempSync(join(tmpdir(), 'spreekuur-faults-clock-'));
  clockDirs.add(clockDir);
  const clockFile = join(clockDir, 'offset-ms');
  const cluster: Cluster = new Cluster(
    {
      NODE_ENV: 'test',
      TEST_CLOCK_FILE: clockFile,
      DATABASE_URL: pg.urlOf(database),
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: api.token,
      WEBCHAT_ENABLED: 'false',
      LOG_LEVEL: 'error',
      SWEEP_SECONDS: '3',
      QUEUE_CONCURRENCY: '4',
    },
    // Each start of a process talks to the fake through its own path, so every message the fake
    // gets says which process (and which start of it) sent it.
    (label) => ({ TELEGRAM_API_ROOT: `${api.url}/via/${label}/` }),
  );
  running.add(cluster);
  try {
    // The channels process migrates first; the workers find the tables made.
    await cluster.start('channels', 'channels');
    // Mohamed El Amrani (the phone bookings) has a Telegram chat linked, so each booking with him is
    // told there; Fatma Yilmaz (the chat sessions, and the cases' alderman) has none, so her sessions
    // and cases stay on the dashboard as before, and her notice jobs tell no one.
    const alderman: LinkedAlderman = {
      aldermanId: 'mohamed-el-amrani',
      chatId: 100_000 * (index + 1) + 99_999,
    };
    await pg.queryIn(
      database,
      `INSERT INTO staff_identities (channel, user_id, alderman_id, linked_at)
       VALUES ('telegram', '${alderman.chatId}', '${alderman.aldermanId}', ${Date.now()})`,
    );
    await Promise.all([cluster.start('worker-1', 'worker'), cluster.start('worker-2', 'worker')]);
    let loadFinished = false;
    let sampling = true;
    const backlog: number[] = [];
    const sampler = (async () => {
      while (sampling) {
        const v = await cluster.metric('channels', 'spreekuur_outbox_pending');
        if (v !== undefined) backlog.push(v);
        await sleep(500);
      }
    })();
    const ctx: Context = { cluster, pg, redis, api, loadDone: () => loadFinished, backlog };
    const started = Date.now();
    const loadRun = runLoad(api, {
      firstChatId: 100_000 * (index + 1),
      perSecond: RATE,
      seconds: SECONDS,
      patienceMs: 90_000,
    }).finally(() => {
      loadFinished = true;
    });
    const [load, faults] = await Promise.all([loadRun, s.fault(ctx)]);
    const loadMs = Date.now() - started;
    const settleMs = await waitUntilQuiet(pg, database, api, 180_000);
    // Before the timers move the processes' clock: created_at is still real time.
    const latency = await replyLatency(pg, database, api);
    const timersStarted = Date.now();
    const timers = await runTimersNow({ url: redis.url, prefix }, clockFile, 120_000);
    const timersMs = Date.now() - timersStarted;
    // The delay notices the timers sent to residents are replies like any other: wait for them too.
    await waitUntilQuiet(pg, database, api, 120_000);
    // One more scrape once all is quiet: the backlog must be back at 0.
    await sleep(600);
    sampling = false;
    await sampler;
    const { details, ...counts } = await check(
      pg,
      database,
      api,
      load,
      { url: redis.url, prefix },
      timers,
      alderman,
    );
    const found = [...problems(counts, load.askers.length), ...(s.verify?.(faults) ?? [])];
    const peak = Math.max(0, ...backlog);
    const last = backlog.at(-1);
    if (peak === 0)
      found.push(`the outbox backlog on /metrics never rose above 0 (${backlog.length} scrapes)`);
    if (last !== 0)
      found.push(`the outbox backlog on /metrics did not fall back to 0 (last scrape: ${last})`);
    console.log(`\n[${s.name}] ${s.title}`);
    console.log(`  fault: ${JSON.stringify(faults)}`);
    console.log(
      `  load: ${load.residents.length} residents (${load.askers.length} asking a question, ${load.bookers.length} booking a slot); ${load.unanswered} steps waited out without a reply${load.waitedOut.length ? ` (${load.waitedOut.join(', ')})` : ''}`,
    );
    console.log(`  checked: ${JSON.stringify(counts)}`);
    console.log(
      `  booking timers: checked ${counts.bookingTimers} booking timers of ${counts.bookings} bookings (${Object.entries(
        details.bookingTimersByKind,
      )
        .map(([kind, n]) => `${kind} ${n}`)
        .join(
          ', ',
        )}), ${counts.bookingTimersRanOnce === counts.bookingTimers ? 'each once' : `${counts.bookingTimersRanOnce} once`}; ${counts.bookingNotices} notices to residents`,
    );
    for (const d of details.bookingTimers) console.log(`    ${d}`);
    console.log(
      `  alderman notices: ${counts.aldermanNoticeJobsRanOnce} of ${counts.aldermanNoticeJobs} booking.tell-alderman jobs run once; ${counts.aldermanNoticesOnce} of ${counts.aldermanNotices} bookings with ${alderman.aldermanId} told once in their chat; ${counts.aldermanMessagesWritten} messages written to it, ${counts.aldermanMessagesMissing} missing, ${counts.aldermanMessagesDuplicated} twice`,
    );
    for (const d of details.aldermanNotices) console.log(`    ${d}`);
    const tries = [...load.bookingOutcomes.values()].filter((o) => o !== 'booked');
    if (tries.length > 0) console.log(`  bookers who were asked for another time: ${tries.join('; ')}`);
    for (const d of details.bookersWithout) console.log(`    no booking: ${d}`);
    console.log(
      `  outbox backlog on /metrics (spreekuur_outbox_pending, ${backlog.length} scrapes every 0.5 s): rose to ${peak}, fell to ${last ?? 'n/a'}; series ${series(backlog)}`,
    );
    console.log(
      `  reply latency (${latency.replies} replies, outbox row written -> fake Telegram received): p50 ${latency.reply.p50} ms, p95 ${latency.reply.p95} ms, max ${latency.reply.max} ms; message stored -> its first reply received: p50 ${latency.firstReply.p50} ms, p95 ${latency.firstReply.p95} ms, max ${latency.firstReply.max} ms; between two messages to one chat: p50 ${latency.chatGap.p50} ms, p95 ${latency.chatGap.p95} ms`,
    );
    console.log(`  slowest replies: ${details.slowest.join('; ')}`);
    console.log(
      `  time: start ${Math.round((started - begun) / 1000)} s, load and faults ${Math.round(loadMs / 1000)} s, settled ${Math.round(settleMs / 1000)} s later, timers run in ${Math.round(timersMs / 1000)} s`,
    );
    console.log(`  ${found.length === 0 ? 'OK' : `FAILED: ${found.join('; ')}`}`);
    for (const d of details.outOfOrder) console.log(d);
    if (details.replies.length > 0) {
      replyDetails.set(s.name, details.replies);
      console.log('  replies received more or fewer times than written (first 20 residents):');
      for (const d of details.replies) console.log(d);
    }
    if (found.length > 0) console.log(`  processes:\n${cluster.history.map((h) => `    ${h}`).join('\n')}`);
    if (found.length > 0)
      for (const p of cluster.processes.values())
        console.log(
          `  --- ${p.name} stderr (last lines)\n${p.stderr.join('').split('\n').slice(-15).join('\n')}`,
        );
    return found.map((p) => `${s.name}: ${p}`);
  } finally {
    await cluster.stopAll();
    running.delete(cluster);
    await api.close();
    rmSync(clockDir, { recursive: true, force: true });
    clockDirs.delete(clockDir);
  }
}

/** The series in at most 40 values (every n-th scrape, and the last one). */
function series(values: number[]): string {
  const step = Math.max(1, Math.ceil(values.length / 40));
  const picked = values.filter((_, i) => i % step === 0);
  if ((values.length - 1) % step !== 0 && values.length > 0) picked.push(values.at(-1)!);
  return picked.join(' ');
}

const only = process.env.FAULTS_ONLY?.split(',');
const suiteStarted = Date.now();
let pg: PrivatePostgres | undefined;
let redis: PrivateRedis | undefined;
/**
 * Whatever happens (a failed check, a crash of the suite itself, Ctrl-C), the service processes,
 * the private servers and their folders go: this runs on every exit, synchronously.
 */
function cleanUp(): void {
  for (const c of running) c.killNow();
  redis?.stopNow();
  pg?.stopNow();
  for (const dir of clockDirs) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
const results: { name: string; ok: boolean; problems: string[]; replies?: string[] }[] = [];
try {
  pg = await PrivatePostgres.start(PG_PORT);
  redis = new PrivateRedis(REDIS_PORT);
  await redis.start();
  console.log(
    `Fault suite: private PostgreSQL :${PG_PORT}, Redis :${REDIS_PORT}; ${RATE} residents a second for ${SECONDS} s, ` +
      `each asking a question or (every fourth) booking a slot in 8 messages; 1 channels + 2 worker processes`,
  );
  for (const [i, s] of scenarios.entries()) {
    if (only ? !only.includes(s.name) : s.optIn) continue;
    let found: string[];
    try {
      found = await runScenario(s, i, pg, redis);
    } catch (error) {
      // The scenario itself broke (a process that would not start): a failure, and on to the next.
      found = [`${s.name}: ${String(error).slice(0, 2000)}`];
      console.log(`\n[${s.name}] ${s.title}\n  FAILED: ${found[0]}`);
    }
    const replies = replyDetails.get(s.name);
    results.push({ name: s.name, ok: found.length === 0, problems: found, ...(replies ? { replies } : {}) });
  }
} catch (error) {
  results.push({ name: 'setup', ok: false, problems: [String(error).slice(0, 2000)] });
  console.log(`\nFault suite could not start: ${String(error)}`);
} finally {
  cleanUp();
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
const failures = results.flatMap((r) => r.problems);
mkdirSync(dirname(REPORT), { recursive: true });
writeFileSync(REPORT, JSON.stringify({ passed, failed, scenarios: results }, null, 2));
console.log(
  failures.length === 0 ? '\nFault suite: all scenarios OK' : `\nFault suite FAILED:\n${failures.join('\n')}`,
);
console.log(
  `Fault suite: ${passed} passed, ${failed} failed in ${Math.round((Date.now() - suiteStarted) / 1000)} s`,
);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
