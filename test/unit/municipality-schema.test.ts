import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { municipalityFileSchema } from '../../src/municipality/municipality-schema.js';

const shipped = JSON.parse(readFileSync('data/municipality.json', 'utf8')) as Record<string, unknown>;
const withZone = (timeZone: string) => municipalityFileSchema.safeParse({ ...shipped, timeZone });

describe('the municipality file schema', () => {
  // The check answers from the list of canonical zones first; aliases must still pass (by a formatter).
  it.each(['Europe/Amsterdam', 'America/Curacao', 'UTC', 'Etc/GMT-1', 'Europe/Kiev', 'Asia/Calcutta'])(
    'takes the time zone %s',
    (zone) => {
      expect(withZone(zone).success).toBe(true);
    },
  );

  it.each(['Europe/Rijswijk', 'CET+1', ''])('refuses the time zone "%s" with a clear message', (zone) => {
    const result = withZone(zone);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('expected an IANA time zone such as Europe/Amsterdam');
  });
});
