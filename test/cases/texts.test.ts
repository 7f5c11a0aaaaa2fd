import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CASE_STATUSES } from '../../src/features/cases/case-status.js';

const read = (lang: string) =>
  JSON.parse(readFileSync(`data/i18n/${lang}/cases.json`, 'utf8')) as Record<string, string>;
const CODES = [
  'not_found',
  'text_empty',
  'text_too_long',
  'reopen_window_closed',
  'rating_invalid',
  'not_answered',
  'illegal_transition',
  'concurrent_change',
];
/** Codes only staff actions in the dashboard throw: a resident never causes them. */
const STAFF_CODES = [
  'forbidden',
  'not_open',
  'date_invalid',
  'unknown_target',
  'unknown_standard_answer',
  'not_proposal',
  'stage_invalid',
  'reason_required',
];

describe('cases texts', () => {
  it('has the same keys in Dutch and English', () => {
    expect(Object.keys(read('en')).sort()).toEqual(Object.keys(read('nl')).sort());
  });

  it('names every status and explains every error code the domain throws', () => {
    const keys = Object.keys(read('nl'));
    for (const status of CASE_STATUSES) expect(keys).toContain(`cases.status.${status}`);
    const source = ['errors.ts', 'case-service.ts']
      .map((f) => readFileSync(`src/features/cases/${f}`, 'utf8'))
      .join('\n');
    const thrown = [...source.matchAll(/'case\.([a-z_]+)'/g)].map((m) => m[1]!);
    expect(new Set(thrown)).toEqual(new Set([...CODES, ...STAFF_CODES]));
    for (const code of CODES) expect(keys).toContain(`cases.error.${code}`);
  });
});
