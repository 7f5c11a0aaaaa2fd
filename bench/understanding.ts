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
 * each read timed on its own (vocabulary loaded once, as at start).
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
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [i, line] of lines.entries()) {
      const start = performance.now();
      read(vocab, line.text, steps[i] ?? { kind: 'open' });
      times.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  const us = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    messages_count: times.length,
    per_message_p50_ms: us(at(0.5)),
    per_message_p99_ms: us(at(0.99)),
    per_message_max_ms: us(at(1)),
  };
}
