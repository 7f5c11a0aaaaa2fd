import { describe, expect, it } from 'vitest';
import {
  accountSubject,
  bookingSubject,
  caseSubject,
  conversationSubject,
  hoursDaySubject,
  hoursEntrySubject,
  hoursPageSubject,
  parseSubject,
} from '../../src/shared/audit-subjects.js';

const pseudonym = (value: string) => `p-${value.length}-ABCDEFGHIJKLMNOP`;

describe('audit subjects', () => {
  // The log is never rewritten: a helper that spelled a subject differently would lose every old line.
  it('spells each subject as the lines already in the log do', () => {
    expect(caseSubject('RSW-2026-000042')).toBe('case:RSW-2026-000042');
    expect(bookingSubject('AFS-2026-000007')).toBe('booking:AFS-2026-000007');
    expect(accountSubject('3f2c')).toBe('account:3f2c');
    expect(conversationSubject(pseudonym, 'telegram:42')).toBe('conversation:p-11-ABCDEFGHIJKLMNOP');
    expect(hoursPageSubject('wethouder-jansen')).toBe('hours:wethouder-jansen');
    expect(hoursPageSubject(null)).toBe('hours:all');
    expect(hoursEntrySubject('recurring', 'w1')).toBe('hours:recurring:w1');
    expect(hoursDaySubject('wethouder-jansen', '2026-12-04')).toBe('hours:wethouder-jansen:2026-12-04');
  });

  it('parses what each writer wrote back to its kind and value', () => {
    expect(parseSubject(caseSubject('RSW-2026-000042'))).toEqual({ kind: 'case', value: 'RSW-2026-000042' });
    expect(parseSubject(bookingSubject('AFS-2026-000007'))).toEqual({
      kind: 'booking',
      value: 'AFS-2026-000007',
    });
    expect(parseSubject(accountSubject('3f2c'))).toEqual({ kind: 'account', value: '3f2c' });
    expect(parseSubject(conversationSubject(pseudonym, 'telegram:42'))).toEqual({
      kind: 'conversation',
      value: pseudonym('telegram:42'),
    });
    expect(parseSubject(hoursPageSubject(null))).toEqual({ kind: 'hours', value: 'all' });
    expect(parseSubject(hoursDaySubject('jansen', '2026-12-04'))).toEqual({
      kind: 'hours',
      value: 'jansen:2026-12-04',
    });
  });

  it('parses no kind from a subject of another kind, none, or nothing after the kind', () => {
    for (const other of [
      'poll:9',
      'agenda:all',
      'someone@example.nl',
      'updates',
      'case:',
      ':case',
      'cases:RSW-1',
    ])
      expect(parseSubject(other)).toBeNull();
  });
});
