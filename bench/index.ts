// `npm run bench`: prints every benchmark's figures, measured in this run on this machine.
import { benchEngine } from './engine.js';

const line = (name: string, value: unknown) => console.log(`${name.padEnd(48)} ${String(value)}`);

console.log(`Spreekuur benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
console.log('Engine, embedded mode (SQLite WAL, in-database queue), district flow, 4 messages per conversation');
for (const conversations of [1_000, 10_000]) {
  for (const inFlight of [1, 8, 64]) {
    const r = await benchEngine(conversations, inFlight);
    line(
      `  ${conversations} conversations, ${inFlight} at a time`,
      `${r.messagesPerSecond} msg/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (${r.messages} msgs, ${r.outboundStored} replies stored)`,
    );
  }
}

const optional = async (file: string, fn: string) => {
  try {
    const mod = (await import(file)) as Record<string, () => Promise<Record<string, number>>>;
    const results = await mod[fn]?.();
    for (const [name, value] of Object.entries(results ?? {})) line(`  ${name}`, value);
  } catch (error) {
    line(`  ${file}`, `failed: ${(error as Error).message}`);
  }
};
console.log('\nQueue');
await optional('./queue.js', 'benchQueue');
process.exit(0);
