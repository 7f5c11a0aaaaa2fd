/**
 * Runs once per test run (the integration project, vitest.config.ts), before any test file:
 * - checks the test PostgreSQL and Redis once and says, in one line each, why their suites are
 *   skipped; with SPREEKUUR_REQUIRE_SERVICES=1 (CI) a missing one fails the run instead;
 * - gives the run a Redis key prefix of its own (test/support/redis-keys.ts), and afterwards
 *   fails the run if any key with that prefix is left. Other runs on the same Redis (other
 *   people's, other worktrees') have other prefixes and are never looked at;
 * - starts Debian's Chromium once, when it is installed: each browser test file connects to it
 *   (test/support/browser.ts) and closes what it opened, instead of starting one of its own.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_LAUNCH, CHROMIUM_PATH } from './chromium.js';
import { deleteRedisKeys, probePostgres, probeRedis, redisKeys, type ServiceStatus } from './probe.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Every Redis key a test writes starts with this. */
    redisRunPrefix: string;
    postgresStatus: ServiceStatus;
    redisStatus: ServiceStatus;
    /** The run's Chromium (playwright-core's browser server), when it is installed. */
    browserEndpoint: string | undefined;
  }
}

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const required = process.env.SPREEKUUR_REQUIRE_SERVICES === '1';
  const [postgres, redis, browser] = await Promise.all([
    probePostgres(POSTGRES_URL),
    probeRedis(REDIS_URL),
    existsSync(CHROMIUM_PATH) ? chromium.launchServer(CHROMIUM_LAUNCH) : undefined,
  ]);
  for (const [name, status] of [
    ['PostgreSQL', postgres],
    ['Redis', redis],
  ] as const) {
    if (status.ok) continue;
    if (required) {
      await browser?.close();
      throw new Error(`${name} is required (SPREEKUUR_REQUIRE_SERVICES=1): ${status.reason}`);
    }
    console.warn(`[skip] ${name} suites are skipped: ${status.reason}`);
  }
  const prefix = `spreekuur-test-${randomBytes(5).toString('hex')}`;
  project.provide('redisRunPrefix', prefix);
  project.provide('postgresStatus', postgres);
  project.provide('redisStatus', redis);
  project.provide('browserEndpoint', browser?.wsEndpoint());

  return async () => {
    await browser?.close();
    if (!redis.ok) return;
    const left = await redisKeys(REDIS_URL, prefix);
    if (left.length === 0) return;
    await deleteRedisKeys(REDIS_URL, prefix);
    const shown = left.slice(0, 10).join(', ');
    // vitest only logs an error thrown here; the exit code is what makes the run fail.
    process.exitCode = 1;
    throw new Error(
      `Tests left ${left.length} Redis key(s) behind (now deleted): ${shown}${left.length > 10 ? ', …' : ''}. ` +
        'Each suite that uses Redis must delete its prefix in afterAll.',
    );
  };
}
