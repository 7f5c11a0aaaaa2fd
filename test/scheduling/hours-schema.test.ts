import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseHours } from '../../src/municipality/hours-schema.js';
import { ConfigError } from '../../src/shared/errors.js';
import { ALDERMEN } from './fixtures.js';

const example = (): Record<string, unknown> & { sessions: Record<string, unknown>[] } =>
  JSON.parse(readFileSync('data/hours.json', 'utf8')) as never;

function errorOf(json: unknown): string {
  try {
    parseHours(json, ALDERMEN);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('parseHours accepted the file');
}

describe('parseHours', () => {
  it('accepts the shipped example, which gives every example alderman hours', () => {
    const hours = parseHours(example(), ALDERMEN);
    expect(new Set(hours.sessions.map((s) => s.aldermanId))).toEqual(new Set(ALDERMEN));
    expect(hours.rules).toEqual({
      minNoticeMinutes: 120,
      horizonWeeks: 8,
      maxUpcomingPerResidentPerAlderman: 1,
      changeDeadlineMinutes: 60,
    });
  });

  it('names the file, the field path and the problem for a bad time', () => {
    const json = example();
    json.sessions[2]!.start = '7pm';
    expect(errorOf(json)).toBe('Data error: data/hours.json: sessions[2].start: expected HH:MM');
  });

  it('rejects an alderman that aldermen.json does not know', () => {
    const json = example();
    json.sessions[0]!.aldermanId = 'nobody';
    expect(errorOf(json)).toBe(
      'Data error: data/hours.json: sessions[0].aldermanId: no alderman "nobody" in aldermen.json',
    );
  });

  it('rejects a misspelt field instead of ignoring it', () => {
    const json = example();
    json.sessions[1]!.slotMinute = 10;
    expect(errorOf(json)).toMatch(/^Data error: data\/hours\.json: sessions\[1\]: .*slotMinute/);
  });

  it('rejects an end before the start and slots that do not fit', () => {
    const json = example();
    json.sessions[0]!.end = '18:00';
    expect(errorOf(json)).toBe('Data error: data/hours.json: sessions[0].end: expected a time after start');
    const uneven = example();
    uneven.sessions[0]!.slotMinutes = 25;
    expect(errorOf(uneven)).toMatch(/sessions\[0\]\.slotMinutes: the session of 60 minutes does not divide/);
  });

  it('rejects a cancelled date on which the session does not take place', () => {
    const json = example() as unknown as { exceptions: { cancelled: { date: string }[] } };
    json.exceptions.cancelled[0]!.date = '2026-08-11'; // the second Tuesday, not the first
    expect(errorOf(json)).toBe(
      'Data error: data/hours.json: exceptions.cancelled[0].date: session "anna-chat-first-tuesday" does not take place on 2026-08-11',
    );
  });

  it('rejects a session id used twice and an impossible date', () => {
    const json = example();
    json.sessions[1]!.id = json.sessions[0]!.id;
    expect(errorOf(json)).toMatch(/sessions\[1\]\.id: "anna-chat-first-tuesday" is used twice/);
    const bad = example();
    bad.sessions[0]!.validFrom = '2026-02-30';
    expect(errorOf(bad)).toBe(
      'Data error: data/hours.json: sessions[0].validFrom: expected a date as YYYY-MM-DD',
    );
  });
});
