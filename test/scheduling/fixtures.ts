import { readFileSync } from 'node:fs';
import { parseHours, type HoursConfig } from '../../src/municipality/hours-schema.js';
import { parseHolidayCalendar, type HolidayCalendar } from '../../src/municipality/case-data.js';
import type { UnitOfWork } from '../../src/ports/unit-of-work.js';
import type { Database } from '../../src/storage/database.js';

export const ZONE = 'Europe/Amsterdam';
export const ALDERMEN = ['anna-de-vries', 'mohamed-el-amrani', 'pieter-jansen', 'fatma-yilmaz'];

/** The shipped example hours (data/hours.json). */
export function exampleHours(): HoursConfig {
  return parseHours(JSON.parse(readFileSync('data/hours.json', 'utf8')), ALDERMEN);
}

/** Hours with one weekly 19:00–20:00 session of 10-minute slots per given weekday, for tests. */
export function testHours(overrides: Partial<HoursConfig['rules']> = {}): HoursConfig {
  return parseHours(
    {
      rules: {
        minNoticeMinutes: 120,
        horizonWeeks: 8,
        maxUpcomingPerResidentPerAlderman: 1,
        changeDeadlineMinutes: 60,
        ...overrides,
      },
      sessions: [
        {
          id: 'anna-evening',
          aldermanId: 'anna-de-vries',
          rule: 'weekly',
          weekday: 'tue',
          start: '19:00',
          end: '20:00',
          slotMinutes: 10,
          kind: 'chat',
          place: 'WhatsApp',
        },
        {
          id: 'mohamed-evening',
          aldermanId: 'mohamed-el-amrani',
          rule: 'weekly',
          weekday: 'tue',
          start: '19:00',
          end: '20:00',
          slotMinutes: 10,
          kind: 'phone',
          place: 'Telefoon',
        },
      ],
    },
    ALDERMEN,
  );
}

/**
 * Opens `count` Database instances (each its own connection or pool) on one fresh database.
 * Storage is loaded here, not at the top: the pure slot tests share this file and stay in the unit layer.
 */
export async function openDatabases(
  kind: 'sqlite' | 'postgres',
  count = 1,
): Promise<{ dbs: Database[]; uows: UnitOfWork[]; close(): Promise<void> }> {
  const { Database } = await import('../../src/storage/database.js');
  const { createUnitOfWork } = await import('../../src/storage/unit-of-work.js');
  const { freshTarget } = await import('../support/services.js');
  const fresh = await freshTarget(kind);
  const dbs: Database[] = [];
  // One after the other: the first runs the migrations, the rest find them done.
  for (let i = 0; i < count; i++) dbs.push(await Database.open(fresh.target));
  return {
    dbs,
    uows: dbs.map(createUnitOfWork),
    async close() {
      await Promise.all(dbs.map((db) => db.close()));
      await fresh.cleanup();
    },
  };
}

/** The shipped holidays (data/holidays.json): public holidays close recurring sessions. */
export function exampleHolidays(): HolidayCalendar {
  return parseHolidayCalendar(JSON.parse(readFileSync('data/holidays.json', 'utf8')));
}
