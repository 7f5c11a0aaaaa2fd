// One service process for the distributed engine benchmark (bench/engine-distributed.ts starts it):
// the whole App on PostgreSQL + BullMQ with a console channel that notes every message it sends. The
// parent sends `{ walk: [from, to], inFlight, users }` over IPC; the process walks those conversations
// (user ids `${users}${n}`, four messages each, one after the other) and answers with every message's
// latency, the replies to those users sent so far, the CPU it used during the walk, its turn
// statements (group commit: turns written and statements sent), and its memory.
// The parent first asks for an untimed warm-up walk on conversations of the process's own. Afterwards
// it asks `{ sent: users }`: the outbox id of every message this process sent to those users, once per
// send (a reply of another process's conversation too: any process's outbox sweep or safety-net
// sweep may deliver it), so that the parent can check them against the database.
// Plain JavaScript, so that it runs the compiled service (dist/, `npm run build`) under plain node as
// production does (BENCH_COMPILED=1), or the TypeScript sources when started through bin/run-ts.mjs.
const base = process.env.BENCH_COMPILED === '1' ? '../dist/' : '../';
const ext = process.env.BENCH_COMPILED === '1' ? '.js' : '.ts';
const load = (path) => import(`${base}${path}${ext}`);
const { ConsoleAdapter } = await load('bots/console/console-adapter');
const { createApp } = await load('src/app/create-app');
const { parseConfig } = await load('src/config/config');
const { createLogger } = await load('src/shared/logger');
const { turnBatchStats } = await load('src/storage/repositories/conversation-repository');

/** The district flow as a resident walks it: four messages. */
const WALK = ['hallo', 'wie is mijn wijkwethouder?', '2288 GD', 'ja'];

const config = parseConfig({
  DATABASE_URL: process.env.DATABASE_URL,
  REDIS_URL: process.env.REDIS_URL,
  LOG_LEVEL: 'silent',
  // The benchmark's residents type faster than people do.
  RATE_LIMIT_PER_MINUTE: '1000',
});
/**
 * The outbox ids of the messages sent, once per send, by the users' id prefix (`bench-`, `warm-0-`):
 * small numbers only, so that this bookkeeping hardly adds to the RSS the benchmark reports.
 */
const sent = new Map();
const prefixOf = (userId) => userId.slice(0, userId.lastIndexOf('-') + 1);
/** The console channel, noting what it sends (the message's id is its outbox id). */
class NotingConsoleAdapter extends ConsoleAdapter {
  send(message) {
    const prefix = prefixOf(message.to.userId);
    if (!sent.has(prefix)) sent.set(prefix, []);
    sent.get(prefix).push(Number(message.id));
    return super.send(message);
  }
}
/** The outbox ids of the messages sent to users whose ids are `users` followed by a number. */
const sentTo = (users) => sent.get(users) ?? [];

const app = await createApp({
  config,
  logger: createLogger({ level: 'silent', production: true }),
  channels: [() => ({ adapter: new NotingConsoleAdapter(() => undefined) })],
  queue: { prefix: process.env.BENCH_QUEUE_PREFIX ?? 'bench' },
});
await app.start();

process.on('message', (request) => {
  if (request.sent !== undefined) process.send?.({ sent: sentTo(request.sent) });
  else void walk(request).then((result) => process.send?.(result));
});
process.on('disconnect', () => {
  void app.stop().finally(() => process.exit(0));
});
process.send?.({ ready: true });

/** Walks the conversations `request.walk` names, `request.inFlight` at a time. */
async function walk(request) {
  const [from, to] = request.walk;
  const users = request.users ?? 'bench-';
  const cpuBefore = process.cpuUsage();
  const batchesBefore = batchTotals();
  const latencies = [];
  let next = from;
  const walker = async () => {
    for (let c = next++; c < to; c = next++) {
      for (const [i, text] of WALK.entries()) {
        const start = performance.now();
        await app.engine.receive({
          channel: 'console',
          userId: `${users}${c}`,
          messageId: `${users}${c}-${i}`,
          text,
        });
        latencies.push(performance.now() - start);
      }
    }
  };
  await Promise.all(Array.from({ length: request.inFlight }, walker));
  await app.dispatcher.idle();
  const cpu = process.cpuUsage(cpuBefore);
  const batchesAfter = batchTotals();
  const memory = process.memoryUsage();
  return {
    latencies,
    // What this process sent to the walk's users by now (the parent checks the whole later).
    delivered: sentTo(users).length,
    cpuMs: (cpu.user + cpu.system) / 1000,
    // The turn statements this process sent during the walk, and the turns written through them.
    turnStatements: batchesAfter.statements - batchesBefore.statements,
    turnWrites: batchesAfter.writes - batchesBefore.writes,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
  };
}

/** The group commit's totals so far, both statements of the turn together (storage's figures). */
function batchTotals() {
  const stats = turnBatchStats(app.db.dataSource);
  return {
    statements: stats.reduce((sum, s) => sum + s.batches, 0),
    writes: stats.reduce((sum, s) => sum + s.calls, 0),
  };
}
