import { defineConfig } from 'vitest/config';
import { unitTests } from './test/layers.js';

export default defineConfig({
  test: {
    // Slot and date maths must not depend on the machine's zone (Cal.com's habit).
    // A dist/ older than the sources (a developer edited after `npm run build`) runs the sources as
    // always, without the notice on stderr that tests reading a command's stderr would take for output.
    env: { TZ: 'UTC', SPREEKUUR_STALE_BUILD: 'quiet' },
    // A hang guard, not a speed check (every wait inside a test is bounded). On a day this machine ran
    // 2.4 times slower than usual, tests that take 15-25 s on a quiet day took 40-49 s, too close to
    // the 60 s this was; the fault suite now also runs beside the tests in CI.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Suites share the local PostgreSQL and Redis; each uses its own schema/prefix, but
    // two cores run best with few workers.
    maxWorkers: 2,
    // One report of both projects: CI counts every test from it.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'var/test-report.json' }]] : ['default'],
    // `unit`: pure tests, no database or network (test/layers.ts); `integration`: everything else.
    projects: [
      {
        extends: true,
        // Pure tests share no state through modules they change, so one module graph per worker will do.
        test: { name: 'unit', include: unitTests, pool: 'threads', isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: unitTests,
          // Checks PostgreSQL and Redis once, and that no test left a Redis key behind.
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
