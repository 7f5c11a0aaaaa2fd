/**
 * Consultation hours: how long slot maths takes for a year of 10 aldermen (median of several
 * runs, ms), and booking throughput when many residents compete for few slots on a SQLite file,
 * with one connection and with four (separate Database instances, as separate processes would
 * have). Also on PostgreSQL when it answers. Prints nothing; bench/index.ts prints.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { book, listFreeSlots, type SchedulingContext } from '../src/features/scheduling/booking-service.js';
import { parseHours, type HoursConfig } from '../src/municipality/hours-schema.js';
import { computeSlots, type Slot } from '../src/features/scheduling/slots.js';
import type { DatabaseTarget } from '../src/storage/database-url.js';
import { Database } from '../src/storage/database.js';
import { createUnitOfWork } from '../src/storage/unit-of-work.js';
import { isReachable } from '../test/support/net.js';
import { adminQuery } from './support.js';

const ZONE = 'Europe/Amsterdam';
const ALDERMEN = Array.from({ length: 10 }, (_, i) => `alderman-${i}`);
const NOW = new Date('2026-03-02T09:00:00Z');
const ATTEMPTS = 2000;
const IN_FLIGHT = 48;
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Each alderman: a weekly hour of 10-minute slots and a monthly town-hall hour of 15-minute ones. */
function benchHours(): HoursConfig {
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
  const sessions = ALDERMEN.flatMap((aldermanId, i) => [
    {
      id: `${aldermanId}-weekly`,
      aldermanId,
      rule: 'weekly',
      weekday: weekdays[i % 5],
      start: '19:00',
      end: '20:00',
      slotMinutes: 10,
      kind: 'chat',
      place: 'WhatsApp',
    },
    {
      id: `${aldermanId}-monthly`,
      aldermanId,
      rule: 'monthly',
      nth: (i % 4) + 1,
      weekday: weekdays[(i + 2) % 5],
      start: '16:00',
      end: '17:00',
      slotMinutes: 15,
      kind: 'town-hall',
      place: 'Raadhuis',
    },
  ]);
  const rules = {
    minNoticeMinutes: 120,
    horizonWeeks: 8,
    maxUpcomingPerResidentPerAlderman: 1,
    changeDeadlineMinutes: 60,
  };
  return parseHours({ rules, sessions }, ALDERMEN);
}

/** Median milliseconds to compute every slot of 10 aldermen over a year. */
function slotsForAYear(hours: HoursConfig): { ms: number; slots: number } {
  const query = {
    sessions: hours.sessions,
    exceptions: hours.exceptions,
    from: new Date('2026-01-01T00:00:00Z'),
    until: new Date('2027-01-01T00:00:00Z'),
    timeZone: ZONE,
  };
  computeSlots(query); // warm-up
  const times: number[] = [];
  let count = 0;
  for (let run = 0; run < 9; run++) {
    const started = performance.now();
    count = computeSlots(query).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: Math.round(times[Math.floor(times.length / 2)]! * 100) / 100, slots: count };
}

/**
 * ATTEMPTS residents, IN_FLIGHT at a time, each try one free slot of the next 8 weeks, picked
 * at random: about four residents per slot, so most attempts end in 'taken'. Returns attempts
 * and successful bookings per second.
 */
async function contention(
  target: DatabaseTarget,
  connections: number,
  hours: HoursConfig,
): Promise<{ attempts: number; bookings: number }> {
  const dbs: Database[] = [];
  for (let i = 0; i < connections; i++) dbs.push(await Database.open(target));
  try {
    const uows = dbs.map(createUnitOfWork);
    const ctx: SchedulingContext = {
      hours,
      timeZone: ZONE,
      now: NOW,
      holidays: { rules: [], extraDates: [] },
    };
    const slots: Slot[] = await uows[0]!.run((r) => listFreeSlots(r, ctx));
    let next = 0;
    let booked = 0;
    const worker = async (w: number): Promise<void> => {
      for (let i = next++; i < ATTEMPTS; i = next++) {
        const slot = slots[(i * 7919) % slots.length]!;
        const request = {
          aldermanId: slot.aldermanId,
          start: slot.start,
          residentKey: `bench:${i}`,
          topic: 'bench',
        };
        const result = await uows[w % uows.length]!.transaction((repos) => book(repos, ctx, request));
        if (result.ok) booked++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, (_, w) => worker(w)));
    const seconds = (performance.now() - started) / 1000;
    return { attempts: Math.round(ATTEMPTS / seconds), bookings: Math.round(booked / seconds) };
  } finally {
    await Promise.all(dbs.map((db) => db.close()));
  }
}

async function onSqlite(
  connections: number,
  hours: HoursConfig,
): Promise<{ attempts: number; bookings: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-bench-'));
  try {
    return await contention({ kind: 'sqlite', file: join(dir, 'bench.db') }, connections, hours);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function onPostgres(
  connections: number,
  hours: HoursConfig,
): Promise<{ attempts: number; bookings: number }> {
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await adminQuery(POSTGRES_URL, `CREATE SCHEMA ${schema}`);
  try {
    return await contention({ kind: 'postgres', url: POSTGRES_URL, schema }, connections, hours);
  } finally {
    await adminQuery(POSTGRES_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

/** Slot maths time and booking throughput under contention. */
export async function benchScheduling(): Promise<Record<string, number>> {
  const hours = benchHours();
  const results: Record<string, number> = {};
  const year = slotsForAYear(hours);
  results['scheduling.slots.year_10_aldermen_ms'] = year.ms;
  results['scheduling.slots.year_10_aldermen_count'] = year.slots;
  for (const connections of [1, 4]) {
    const r = await onSqlite(connections, hours);
    results[`scheduling.sqlite.book_attempts_per_s.conn${connections}`] = r.attempts;
    results[`scheduling.sqlite.bookings_per_s.conn${connections}`] = r.bookings;
  }
  if (await isReachable(POSTGRES_URL, 5432)) {
    const r = await onPostgres(2, hours);
    results['scheduling.postgres.book_attempts_per_s.pools2'] = r.attempts;
    results['scheduling.postgres.bookings_per_s.pools2'] = r.bookings;
  }
  return results;
}
