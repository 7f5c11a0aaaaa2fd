import { describe, expect, it } from 'vitest';
import { NO_JOBS_WARNING, noPublicUrlWarning } from '../../src/cli/serve.js';
import { startServe } from '../support/processes.js';
import { sqliteUrl } from '../support/services.js';

/** The status a path answers with: 404 when no route serves it in this role. */
async function statusOf(url: string): Promise<number> {
  return (await fetch(url, { redirect: 'manual' })).status;
}

// Regression: every role served the dashboard and the pages on PORT and logged the same start-up line.
describe('spreekuur serve with ROLE', { timeout: 600_000 }, () => {
  it.each([
    // role, dashboard, styles, web chat page
    ['web', true, true, false],
    ['worker', false, false, false],
    ['channels', false, true, true],
  ] as const)(
    'ROLE=%s says which role it is and serves only its own pages (dashboard %s, styles %s, web chat %s)',
    async (role, dashboard, styles, webChat) => {
      const serve = await startServe({
        ROLE: role,
        DATABASE_URL: sqliteUrl(),
        LOG_LEVEL: 'info',
        PUBLIC_URL: '',
      });
      try {
        for (const path of ['/healthz', '/readyz', '/metrics'])
          expect(await statusOf(serve.url + path)).toBe(200);
        expect(await statusOf(`${serve.url}/dashboard/sign-in`)).toBe(dashboard ? 200 : 404);
        expect(await statusOf(`${serve.url}/assets/theme.css`)).toBe(styles ? 200 : 404);
        expect(await statusOf(`${serve.url}/chat`)).toBe(webChat ? 200 : 404);
      } finally {
        expect(await serve.stop()).toBe(0);
      }
      expect(serve.output()).toContain(`is running as ROLE=${role}`);
      // Regression: ROLE=web without a worker silently ran no jobs.
      if (role === 'worker') expect(serve.output()).not.toContain(NO_JOBS_WARNING);
      else expect(serve.output()).toContain(NO_JOBS_WARNING);
      // Regression: without PUBLIC_URL a worker's reminders and the channels role's replies linked
      // calendar files to http://localhost:<its own port>, which only the web role serves.
      const port = new URL(serve.url).port;
      if (role === 'web') expect(serve.output()).not.toContain('PUBLIC_URL is not set');
      else expect(serve.output()).toContain(noPublicUrlWarning(Number(port)));
    },
  );
});
