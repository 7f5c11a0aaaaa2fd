// `npm run bench`: prints every benchmark's figures, measured in this run on this machine.
// `npm run bench -- --json`: prints one JSON object with every figure (and the goals) instead.
import { benchEngine } from './engine.js';

const json = process.argv.includes('--json');
const figures: Record<string, number> = {};
const failures: Record<string, string> = {};

const say = (text: string) => {
  if (!json) console.log(text);
};
const line = (name: string, value: unknown) => say(`${name.padEnd(48)} ${String(value)}`);

say(`Spreekuur benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
say('Engine, embedded mode (SQLite WAL, in-database queue), district flow, 4 messages per conversation');
for (const conversations of [1_000, 10_000]) {
  for (const inFlight of [1, 8, 64]) {
    const r = await benchEngine(conversations, inFlight);
    const key = `engine.embedded.c${conversations}.in_flight_${inFlight}`;
    figures[`${key}.msg_per_s`] = r.messagesPerSecond;
    figures[`${key}.p50_ms`] = r.p50Ms;
    figures[`${key}.p99_ms`] = r.p99Ms;
    line(
      `  ${conversations} conversations, ${inFlight} at a time`,
      `${r.messagesPerSecond} msg/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (${r.messages} msgs, ${r.outboundStored} replies stored)`,
    );
  }
}

/** The unit a figure's name implies (`…per_s…` is a rate, `…_ms` a duration, `…_count`/`…notices` a count). */
const withUnit = (name: string, value: number): string => {
  // A rate ends in `per_s` or has it before a qualifier (`create_per_s.c16`); `turns_per_statement` is none.
  if (/per_s($|\.)/.test(name)) return `${value} /s`;
  if (name.endsWith('_ms')) return `${value} ms`;
  if (name.endsWith('_mb') || name.startsWith('rss_mb')) return `${value} MB`;
  if (name.startsWith('ratio.')) return `${value} (ratio)`;
  return `${value}`;
};

/** Runs one benchmark module's function; a failure is printed and the next section still runs. */
const optional = async (file: string, fn: string) => {
  try {
    const mod = (await import(file)) as Record<string, () => Promise<Record<string, number>>>;
    const run = mod[fn];
    if (!run) throw new Error(`${fn} is not exported`);
    for (const [name, value] of Object.entries(await run())) {
      figures[name] = value;
      line(`  ${name}`, withUnit(name, value));
    }
  } catch (error) {
    failures[file] = (error as Error).message;
    line(`  ${file}`, `failed: ${(error as Error).message}`);
  }
};
say('\nUnderstanding: one message read at its step (every corpus utterance, 20 rounds)');
await optional('./understanding.js', 'benchUnderstanding');
say('\nCLI start after `npm run build`: node bin/spreekuur.mjs <command> to its exit, 7 runs each, median');
say('  and highest (fresh SQLite database, migrated untimed first); node_floor = `node -e 0`');
await optional('./cli-start.js', 'benchCliStart');
say('\nQueue: a no-op job, enqueue rate and drain rate, SQL driver (SQLite) and BullMQ (Redis)');
await optional('./queue.js', 'benchQueue');
say('\nScheduling: slot maths for a year of 10 aldermen; booking attempts and bookings under contention');
await optional('./scheduling.js', 'benchScheduling');
say('\nCases: created per second (reference, row and event in one transaction), 1 and 16 in flight, 2,000');
say("  cases timed after 5 per case in flight untimed (the pool's connections open, the sequence made)");
await optional('./cases.js', 'benchCases');
say('\nCases created and routed end to end through the App (route job, timers, alderman told in chat)');
say('  (2,000 cases timed after 2,000 untimed on the same App); reference: a no-op BullMQ job on the same');
say('  Redis, the median of 5 runs; ratio = routed cases/s ÷ no-op jobs/s. The ceiling: a case stored');
say(
  '  (its own transaction) and then a no-op job run for it, nothing routed, timed or told, median of 5 runs',
);
await optional('./cases-routed.js', 'benchCasesRouted');
say(
  "\nThe worker's safety-net sweep with 3,000 open cases on BullMQ: the first of a process puts back every",
);
say('  timer (as after a Redis that came back empty); the ones after it, while Redis keeps its data, do not');
await optional('./sweep.js', 'benchSweep');
say('\nEngine, distributed mode: PostgreSQL + BullMQ, service processes sharing the conversations');
say('  (32 conversations at a time per process, each process warmed up first on 2,500 conversations of its');
say("  own, untimed, in rounds of 500, so the figures are a running service's steady state (warmup.*: the");
say('  cold first round and the last, in CPU per message of the service); then one process walking');
say('  10,000 conversations, its RSS). Replies are checked against the database once the processes are');
say('  done: one missing or sent twice fails this section. after_walk: replies an outbox sweep sent after');
say('  the walks; by_other_process: replies a process sent of a conversation that was not its own');
await optional('./engine-distributed.js', 'benchEngineDistributed');
say('\nChat-log search: 100,000 messages over 5,000 conversations, 200 mixed searches (goal p95 < 100 ms)');
await optional('./conversation-search.js', 'benchConversationSearch');
say(
  '\nWeb chat: 1,000 residents on their own WebSocket on loopback, each sending a message every second for 60 s',
);
say('  (spreekuur serve in a child process, embedded mode; lost = sent but not stored)');
await optional('./web-chat.js', 'benchWebChat');
say(
  '\nWhatsApp Cloud API: 100 residents, each posting a signed webhook and waiting for the reply at a fake Graph API on loopback, 20 messages each',
);
say('  (spreekuur serve in a child process, embedded mode; paced at 80 msg/s as Meta allows, and unpaced)');
await optional('./whatsapp-cloud.js', 'benchWhatsAppCloud');

say(
  '\nDistrict update to 50,000 subscribers (Telegram and web chat) while 16 residents chat on the web chat',
);
say(
  '  (embedded mode; queued = recipients fixed and first batches on the queue, goal < 10 s; drained at the',
);
say(
  '  configured rate per channel; reply p99 with and without the send; CPU time and load average of the run)',
);
await optional('./broadcast.js', 'benchBroadcast');

/** The goals of issue 16, each with the figure measured in this run. */
const goal = (figure: string, target: number, atLeast: boolean) => {
  const value = figures[figure];
  return {
    figure,
    value: value ?? null,
    target,
    atLeast,
    met: value === undefined ? null : atLeast ? value >= target : value <= target,
  };
};
const distributed = (n: number, what: string) => `engine.distributed.2_workers.c${n}.${what}`;
const goals = {
  distributed_1000_msg_per_s: goal(distributed(1000, 'msg_per_s'), 2000, true),
  distributed_1000_p99_ms: goal(distributed(1000, 'p99_ms'), 50, false),
  distributed_10000_msg_per_s: goal(distributed(10000, 'msg_per_s'), 2000, true),
  distributed_10000_p99_ms: goal(distributed(10000, 'p99_ms'), 50, false),
  cases_routed_bullmq_to_noop: goal('ratio.bullmq_cases_to_noop', 0.5, true),
  cases_postgres_c16_per_s: goal('cases.postgres.create_per_s.c16', 1000, true),
  rss_one_process_10000_conversations_mb: goal('rss_mb.one_process_10000_conversations', 150, false),
  cli_start_staff_list_median_ms: goal('cli_start.staff_list.median_ms', 1000, false),
};
say('\nGoals (issue 16): figure, goal, met');
for (const [name, g] of Object.entries(goals))
  line(
    `  ${name}`,
    `${g.value ?? 'not measured'} (goal ${g.atLeast ? '≥' : '≤'} ${g.target}) ${g.met === null ? '' : g.met ? 'met' : 'NOT met'}`,
  );
const ceiling = figures['ratio.ceiling_case_stored_and_noop_job_to_noop'];
if (ceiling !== undefined && ceiling < 0.5)
  say(`  (the routed ratio's ceiling here, a case stored and a no-op job for it: ${ceiling})`);

if (json) {
  process.stdout.write(
    `${JSON.stringify({ node: process.version, at: new Date().toISOString(), figures, goals, failures })}\n`,
  );
}
process.exit(0);
