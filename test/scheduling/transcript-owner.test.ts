import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, type SchedulingContext } from '../../src/features/scheduling/booking-service.js';
import { bookingServices } from '../../src/features/scheduling/services.js';
import { loadMunicipality } from '../../src/municipality/municipality.js';
import type { ServiceEnvironment } from '../../src/ports/services.js';
import type { UnitOfWork } from '../../src/ports/unit-of-work.js';
import { DomainError } from '../../src/shared/errors.js';
import { ZONE, exampleHolidays, openDatabases, testHours } from './fixtures.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const ctx: SchedulingContext = { hours: testHours(), timeZone: ZONE, now: NOW, holidays: exampleHolidays() };
const municipality = loadMunicipality('data');
const transcript = bookingServices('http://localhost')['bookings.transcript'];

describe('the booking transcript checks its owner like every other booking service', () => {
  let handle: Awaited<ReturnType<typeof openDatabases>>;
  let uow: UnitOfWork;
  let bookingId: string;

  beforeAll(async () => {
    handle = await openDatabases('sqlite');
    uow = handle.uows[0]!;
    const result = await uow.transaction((repos) =>
      book(repos, ctx, {
        aldermanId: 'anna-de-vries',
        start: new Date('2026-03-03T18:00:00Z'),
        residentKey: 'telegram:owner-1',
        residentFirstName: 'Sam',
        topic: 'Parkeren',
      }),
    );
    if (!result.ok) throw new Error(result.reason);
    bookingId = result.booking.id;
  });
  afterAll(() => handle.close());

  const env = (userId: string, aldermanId?: string): ServiceEnvironment => ({
    now: NOW,
    address: { channel: 'telegram', userId },
    municipality,
    ...(aldermanId ? { staff: { aldermanId } } : {}),
    inboundId: 1,
  });
  const write = (e: ServiceEnvironment, from: 'resident' | 'alderman', text: string) =>
    uow.transaction((repos) => transcript(repos, { bookingId, from, text }, e));
  const stored = async () => (await uow.run((r) => r.bookings.findById(bookingId)))!.transcript;

  it('takes the resident speaking as the resident and the alderman speaking as the alderman', async () => {
    await write(env('owner-1'), 'resident', 'Goedenavond');
    await write(env('alderman-chat', 'anna-de-vries'), 'alderman', 'Welkom');
    expect((await stored()).map((line) => [line.from, line.text])).toEqual([
      ['resident', 'Goedenavond'],
      ['alderman', 'Welkom'],
    ]);
  });

  it.each([
    ['another resident, as the resident', 'stranger', undefined, 'resident'],
    ['another resident, as the alderman', 'stranger', undefined, 'alderman'],
    ['the resident, as the alderman', 'owner-1', undefined, 'alderman'],
    ['the alderman, as the resident', 'alderman-chat', 'anna-de-vries', 'resident'],
    ['another alderman, as the alderman', 'other-alderman', 'pieter-jansen', 'alderman'],
  ] as const)('refuses %s with "not found" and stores nothing', async (_name, userId, aldermanId, from) => {
    const before = (await stored()).length;
    const error = await write(env(userId, aldermanId), from, 'Ingevoegd').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('booking.not-found');
    expect((await stored()).length).toBe(before);
  });
});
