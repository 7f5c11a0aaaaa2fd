import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { read } from '../src/understanding/matcher.js';
import { loadVocabulary } from '../src/understanding/vocabulary.js';
import { stepAt } from '../test/understanding/steps.js';

interface Line {
  at: string;
  lang: 'nl' | 'en';
  text: string;
}

/**
 * What reading one message costs: every corpus utterance read at its step, `rounds` times over,
 * each read timed on its own (vocabulary loaded once, as at start; after one untimed warm-up round).
 */
export function benchUnderstanding(rounds = 20): Record<string, number> {
  const root = join(import.meta.dirname, '..');
  const vocab = loadVocabulary(join(root, 'data/vocabulary'));
  const lines = ['corpus.jsonl', 'held-out.jsonl'].flatMap((f) =>
    readFileSync(join(root, 'test/understanding', f), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Line),
  );
  const steps = lines.map((l) => stepAt(l.at, l.lang));
  // One untimed round first: a running service has read many messages, so its code is compiled.
  for (const [i, line] of lines.entries()) read(vocab, line.text, steps[i] ?? { kind: 'open' });
  const times: number[] = [];
  // CPU time as well as wall time: on a busy machine the wall clock also counts the moments the
  // process was not running at all, which says nothing about the matcher.
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [i, line] of lines.entries()) {
      const usage = process.cpuUsage();
      const start = performance.now();
      read(vocab, line.text, steps[i] ?? { kind: 'open' });
      times.push(performance.now() - start);
      const used = process.cpuUsage(usage);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const at = (q: number, list = times) => list[Math.min(list.length - 1, Math.floor(q * list.length))] ?? 0;
  const us = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    messages_count: times.length,
    per_message_p50_ms: us(at(0.5)),
    per_message_p99_ms: us(at(0.99)),
    per_message_max_ms: us(at(1)),
    cpu_per_message_p50_ms: us(at(0.5, cpu)),
    cpu_per_message_p99_ms: us(at(0.99, cpu)),
  };
}
