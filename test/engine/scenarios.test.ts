import { basename, join } from 'node:path';
import { describe, it } from 'vitest';
import { jsonlDriver } from '../support/jsonl-driver.js';
import { needsClock, playScenario, readScenario, scenarioFiles } from '../support/scenario.js';
import { sqliteUrl } from '../support/services.js';
import { startTestApp } from '../support/app-driver.js';

const sharedDir = join(import.meta.dirname, '../../../shared/scenarios');
const shared = scenarioFiles(sharedDir);
const own = scenarioFiles(join(import.meta.dirname, '../scenarios'));

// The shared folder belongs to the team, not the project: present in CI, absent in a fresh clone.
// When it is absent the run says so (a skipped test with the reason), instead of the suite vanishing.
const sharedMissing = `no scenarios in ${sharedDir} (the team's shared folder, beside the repository; absent in a fresh clone)`;
if (shared.length === 0) console.warn(`[skip] shared scenarios: ${sharedMissing}`);

describe('shared scenarios through `spreekuur chat --jsonl`', () => {
  if (shared.length === 0) it.skip(`skipped: ${sharedMissing}`, () => undefined);
  it.each(shared.map((f) => [basename(f), f]))('%s', async (_name, file) => {
    const driver = jsonlDriver({ DATABASE_URL: sqliteUrl() });
    try {
      await playScenario(readScenario(file), driver);
    } finally {
      await driver.close();
    }
  });
});

describe('project scenarios through `spreekuur chat --jsonl`', () => {
  const timeless = own.filter((f) => !needsClock(readScenario(f)));
  it.each(timeless.map((f) => [basename(f), f]))('%s', async (_name, file) => {
    const driver = jsonlDriver({ DATABASE_URL: sqliteUrl() });
    try {
      await playScenario(readScenario(file), driver);
    } finally {
      await driver.close();
    }
  });
});

describe('project scenarios in process, on a clock the test moves', () => {
  it.each(own.map((f) => [basename(f), f]))('%s', async (_name, file) => {
    const { driver } = await startTestApp({ databaseUrl: sqliteUrl() });
    try {
      await playScenario(readScenario(file), driver);
    } finally {
      await driver.close();
    }
  });
});
