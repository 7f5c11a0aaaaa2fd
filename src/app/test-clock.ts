import { readFileSync } from 'node:fs';
import type { Clock } from '../shared/clock.js';

/**
 * TEST_CLOCK_FILE: the real clock plus the milliseconds written in a file (a missing or empty file
 * is 0), read again at most every `refreshMs`. Every process of a test cluster reads the same file,
 * so a test moves all their clocks at once; the config allows it only with NODE_ENV=test.
 */
export function fileOffsetClock(path: string, refreshMs = 100): Clock {
  let offset = 0;
  let readAt = -Infinity;
  return {
    now() {
      const real = Date.now();
      if (real - readAt >= refreshMs) {
        offset = readOffset(path, offset);
        readAt = real;
      }
      return new Date(real + offset);
    },
  };
}

/** The offset in the file; `previous` while the file holds something that is not a whole number (mid-write). */
function readOffset(path: string, previous: number): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  if (text === '') return 0;
  return /^-?\d+$/.test(text) ? Number(text) : previous;
}
