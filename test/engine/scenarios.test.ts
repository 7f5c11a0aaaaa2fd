import { basename, join } from 'node:path';
import { describe, it } from 'vitest';
import { jsonlDriver } from '../support/jsonl-driver.js';
import { needsClock, playScenario, readScenario, scenarioFiles } from '../support/scenario.js';
import { sqliteUrl } from '../support/services.js';
import { startTestApp } from '../support/app-driver.js';

const shared = scenarioFiles(join(import.meta.dirname, '../../../shared/scenarios'));
const own = scenarioFiles(join(import.meta.dirname, '../scenarios'));

// The shared folder belongs to the team, not the project: present in CI, absent in a fresh clone.
describe.skipIf(shared.length === 0)('shared scenarios through `spreekuur chat --jsonl`', () => {
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
