import { expect } from 'vitest';
import { dashboardHttp, type StreamedEvent } from './dashboard-http.js';
import type { DashboardServer } from './dashboard-server.js';

/** Anna's takeover page. */
export const TAKEOVER_PAGE = `/dashboard/webcare/${encodeURIComponent('console:anna')}`;

/** The page's live stream URL. */
export const streamOf = (html: string): string =>
  (/data-live="([^"]+)"/.exec(html)?.[1] ?? '').replaceAll('&amp;', '&');

/** The keys of the page's transcript lines as it was built (`data-key`), in order. */
export const keysOf = (html: string): string[] => [...html.matchAll(/data-key="([^"]+)"/g)].map((m) => m[1]!);

/** A streamed line's key. */
export const keyOf = (e: StreamedEvent): string => (e.data as { key: string }).key;

/** Anna asks for a person and Olga, an operator, takes her conversation over in the dashboard. */
export async function takenOver(s: DashboardServer) {
  await s.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
  const { driver, app } = s.t;
  await driver.send('anna', 'hoi');
  await driver.send('anna', 'medewerker');
  const olga = dashboardHttp(s.url);
  await olga.signIn('olga@rijswijk.nl');
  await olga.get(TAKEOVER_PAGE);
  expect((await olga.post(`${TAKEOVER_PAGE}/take`, {})).status).toBe(303);
  await app.settle();
  return { olga, driver, app, anna: { channel: 'console', userId: 'anna' } };
}
