import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Slot and date maths must not depend on the machine's zone (Cal.com's habit).
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Suites share the local PostgreSQL and Redis; each uses its own schema/prefix, but
    // two cores run best with few workers.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'var/test-report.json' }]] : ['default'],
  },
});
