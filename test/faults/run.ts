/**
 * `npm run test:faults`: the service as three processes (one `channels` process polling the fake
 * Telegram, two `worker` processes) on a PostgreSQL and a Redis of the suite's own, under a steady
 * stream of residents, while one fault is injected per scenario. Each scenario ends with the check
 * in check.ts and prints what it checked, in counts; any problem makes the run exit 1.
 *
 * FAULTS_ONLY=sigkill,redis,postgres,sigterm,telegram picks scenarios; FAULTS_RATE (residents a
 * second) and FAULTS_SECONDS set the load.
 */
import { randomInt } from 'node:crypto';
import { FakeTelegramApi } from '../support/fake-telegram-api.js';
import { Cluster } from './cluster.js';
import { check, problems, waitUntilQuiet } from './check.js';
import { PrivatePostgres, PrivateRedis, sleep } from './private-services.js';
import { runLoad } from './residents.js';

const PG_PORT = Number(process.env.FAULTS_PG_PORT ?? 5499);
const REDIS_PORT = Number(process.env.FAULTS_REDIS_PORT ?? 6399);
const RATE = Number(process.env.FAULTS_RATE ?? 2);
const SECONDS = Number(process.env.FAULTS_SECONDS ?? 30);

const running = new Set<Cluster>();

interface Scenario {
  name: string;
  title: string;
  /** Injects the fault while the load runs; returns what it did, in counts. */
  fault(ctx: Context): Promise<Record<string, number>>;
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
      return counts;
    },
  },
];

async function runScenario(
  s: Scenario,
  index: number,
  pg: PrivatePostgres,
  redis: PrivateRedis,
): Promise<string[]> {
  const database = `faults_${s.name}`;
  await pg.query(`DROP DATABASE IF EXISTS ${database}`);
  await pg.query(`CREATE DATABASE ${database}`);
  const api = await FakeTelegramApi.start();
  const prefix = `faults-${s.name}`;
  const cluster: Cluster = new Cluster({
    DATABASE_URL: pg.urlOf(database),
    REDIS_URL: redis.url,
    REDIS_PREFIX: prefix,
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.url,
    WEBCHAT_ENABLED: 'false',
    LOG_LEVEL: 'error',
    SWEEP_SECONDS: '3',
    QUEUE_CONCURRENCY: '4',
  });
  running.add(cluster);
  try {
    // The channels process migrates first; the workers find the tables made.
    await cluster.start('channels', 'channels');
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
    const settleMs = await waitUntilQuiet(pg, database, api, 180_000);
    sampling = false;
    await sampler;
    const { details, ...counts } = await check(pg, database, api, load, { url: redis.url, prefix });
    const found = problems(counts, load.residents.length);
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(`\n[${s.name}] ${s.title}`);
    console.log(`  fault: ${JSON.stringify(faults)}`);
    console.log(`  checked: ${JSON.stringify(counts)}`);
    console.log(
      `  outbox backlog from /metrics (spreekuur_outbox_pending): rose to ${Math.max(0, ...backlog)}, fell to ${backlog.at(-1) ?? 'n/a'} (${backlog.length} scrapes); settled ${settleMs} ms after the load; ${seconds} s in all`,
    );
    console.log(`  ${found.length === 0 ? 'OK' : `FAILED: ${found.join('; ')}`}`);
    for (const d of details.outOfOrder) console.log(d);
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
  }
}

const only = process.env.FAULTS_ONLY?.split(',');
const pg = await PrivatePostgres.start(PG_PORT);
const redis = new PrivateRedis(REDIS_PORT);
await redis.start();
// Interrupted: the private servers and the service processes must not outlive the suite.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...running].map((c) => c.stopAll()))
      .then(() => Promise.allSettled([redis.stop(), pg.stop()]))
      .finally(() => process.exit(130));
  });
}
const failures: string[] = [];
try {
  console.log(
    `Fault suite: private PostgreSQL :${PG_PORT}, Redis :${REDIS_PORT}; ${RATE} residents a second for ${SECONDS} s, ` +
      `each asking a question in ${8} messages; 1 channels + 2 worker processes`,
  );
  for (const [i, s] of scenarios.entries()) {
    if (only && !only.includes(s.name)) continue;
    failures.push(...(await runScenario(s, i, pg, redis)));
  }
} finally {
  await redis.stop();
  await pg.stop();
}
console.log(
  failures.length === 0 ? '\nFault suite: all scenarios OK' : `\nFault suite FAILED:\n${failures.join('\n')}`,
);
process.exit(failures.length === 0 ? 0 : 1);
