import { describe, expect, it } from 'vitest';
import { calendarRoute } from '../../src/http/calendar-route.js';
import { buildHttpServer } from '../../src/http/server.js';
import { bookFirstSlot, startTestApp } from '../support/app-driver.js';
import { ManualClock } from '../../src/shared/clock.js';
import { sqliteUrl } from '../support/services.js';

describe('calendar files', () => {
  it('serves a booking as .ics under its unguessable token, and 404 for anything else', async () => {
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    const { app, driver } = await startTestApp({ databaseUrl: sqliteUrl(), clock });
    const server = buildHttpServer({
      health: () => app.health(),
      routes: [calendarRoute(app.commands.scheduling.calendarFile)],
    });
    try {
      const sent = await bookFirstSlot(driver);
      const url = sent
        .map((m) => /https?:\/\/\S+\/calendar\/([A-Za-z0-9_-]+)\.ics/.exec(m.text))
        .find(Boolean);
      expect(url?.[1]?.length).toBeGreaterThanOrEqual(32);
      const ok = await server.inject({ method: 'GET', url: `/calendar/${url?.[1]}.ics` });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['content-type']).toMatch(/^text\/calendar/);
      expect(ok.body).toMatch(/BEGIN:VCALENDAR/);
      expect(ok.body).toMatch(/DTSTART:20261204T080000Z/);
      expect(ok.body).toMatch(/Fatma Yilmaz/);
      // The resident's topic ("De speeltuin") stays out of a file that is forwarded and synced.
      expect(ok.body.replace(/\r\n /g, '')).not.toMatch(/speeltuin/i);
      for (const bad of [
        '/calendar/abc.ics',
        `/calendar/${url?.[1]}x.ics`,
        `/calendar/${url?.[1]}.txt`,
        "/calendar/'%20OR%201=1.ics",
      ]) {
        const res = await server.inject({ method: 'GET', url: bad });
        expect(res.statusCode, bad).toBe(404);
      }
      // The link works until 30 days after the slot (Friday 4 December 2026, 09:00–09:10 Amsterdam).
      clock.set('2027-01-03T08:09:00Z');
      expect((await server.inject({ method: 'GET', url: `/calendar/${url?.[1]}.ics` })).statusCode).toBe(200);
      clock.set('2027-01-03T08:11:00Z');
      expect((await server.inject({ method: 'GET', url: `/calendar/${url?.[1]}.ics` })).statusCode).toBe(404);
    } finally {
      await server.close();
      await driver.close();
    }
  });
});
