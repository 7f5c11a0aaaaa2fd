// `npm run bench`: prints every benchmark's figures, measured in this run on this machine.
import { benchEngine } from './engine.js';

const line = (name: string, value: unknown) => console.log(`${name.padEnd(48)} ${String(value)}`);

console.log(`Spreekuur benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
console.log(
  'Engine, embedded mode (SQLite WAL, in-database queue), district flow, 4 messages per conversation',
);
for (const conversations of [1_000, 10_000]) {
  for (const inFlight of [1, 8, 64]) {
    const r = await benchEngine(conversations, inFlight);
    line(
      `  ${conversations} conversations, ${inFlight} at a time`,
      `${r.messagesPerSecond} msg/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (${r.messages} msgs, ${r.outboundStored} replies stored)`,
    );
  }
}

/** The unit a figure's name implies (`…per_s…` is a rate, `…_ms` a duration, `…_count`/`…notices` a count). */
const withUnit = (name: string, value: number): string => {
  if (name.includes('per_s')) return `${value} /s`;
  if (name.endsWith('_ms')) return `${value} ms`;
  if (name.startsWith('ratio.')) return `${value} (ratio)`;
  return `${value}`;
};

/** Runs one benchmark module's function; a failure is printed and the next section still runs. */
const optional = async (file: string, fn: string) => {
  try {
    const mod = (await import(file)) as Record<string, () => Promise<Record<string, number>>>;
    const run = mod[fn];
    if (!run) throw new Error(`${fn} is not exported`);
    for (const [name, value] of Object.entries(await run())) line(`  ${name}`, withUnit(name, value));
  } catch (error) {
    line(`  ${file}`, `failed: ${(error as Error).message}`);
  }
};
console.log('\nUnderstanding: one message read at its step (every corpus utterance, 20 rounds)');
await optional('./understanding.js', 'benchUnderstanding');
console.log('\nQueue: a no-op job, enqueue rate and drain rate, SQL driver (SQLite) and BullMQ (Redis)');
await optional('./queue.js', 'benchQueue');
console.log(
  '\nScheduling: slot maths for a year of 10 aldermen; booking attempts and bookings under contention',
);
await optional('./scheduling.js', 'benchScheduling');
console.log('\nCases: created per second (reference, row and event in one transaction), 1 and 16 in flight');
await optional('./cases.js', 'benchCases');
console.log(
  '\nCases created and routed end to end through the App (route job, timers, alderman told in chat)',
);
console.log('  reference: a no-op BullMQ job on the same Redis; ratio = routed cases/s ÷ no-op jobs/s');
await optional('./cases-routed.js', 'benchCasesRouted');
console.log(
  '\nWeb chat: 1,000 residents on their own WebSocket on loopback, each sending a message every second for 60 s',
);
console.log('  (spreekuur serve in a child process, embedded mode; lost = sent but not stored)');
await optional('./web-chat.js', 'benchWebChat');
console.log(
  '\nWhatsApp Cloud API: 100 residents, each posting a signed webhook and waiting for the reply at a fake Graph API on loopback, 20 messages each',
);
console.log(
  '  (spreekuur serve in a child process, embedded mode; paced at 80 msg/s as Meta allows, and unpaced)',
);
await optional('./whatsapp-cloud.js', 'benchWhatsAppCloud');
process.exit(0);
