import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app-driver.js';
import {
  telegramDriver,
  webDriver,
  whatsappCloudDriver,
  whatsappDriver,
} from '../support/channel-drivers.js';
import {
  needsClock,
  playScenario,
  readScenario,
  scenarioFiles,
  type ScenarioDriver,
  type SentMessage,
} from '../support/scenario.js';
import { sqliteUrl } from '../support/services.js';

const sharedDir = join(import.meta.dirname, '../../../shared/scenarios');
const shared = scenarioFiles(sharedDir);
const files = [...shared, ...scenarioFiles(join(import.meta.dirname, '../scenarios'))];
// The team's shared scenarios are absent in a fresh clone: say so rather than leave them out silently.
const sharedMissing = `no shared scenarios in ${sharedDir} (the team's folder beside the repository)`;

const channels: Record<string, (url: string) => Promise<ScenarioDriver>> = {
  console: async (url) => (await startTestApp({ databaseUrl: url })).driver,
  telegram: telegramDriver,
  whatsapp: whatsappDriver,
  web: webDriver,
  whatsappCloud: whatsappCloudDriver,
};

/** Records what a driver was sent, so the channels' transcripts can be compared. */
function recording(driver: ScenarioDriver, log: SentMessage[]): ScenarioDriver {
  const keep = async (p: Promise<SentMessage[]>) => {
    const sent = await p;
    log.push(...sent);
    return sent;
  };
  return {
    send: (from, text) => keep(driver.send(from, text)),
    ...(driver.press ? { press: (from: string, label: string) => keep(driver.press!(from, label)) } : {}),
    ...(driver.staffCode ? { staffCode: (id: string) => driver.staffCode!(id) } : {}),
    close: () => driver.close(),
  };
}

/**
 * What each person reads, in their own order: the text and the choices' labels, whatever the
 * channel's idiom. (Messages to different people may interleave differently per channel.)
 */
const outcome = (log: SentMessage[]) => {
  const byPerson: Record<string, { text: string; choices: string[] }[]> = {};
  for (const m of log)
    (byPerson[m.to] ??= []).push({ text: m.text, choices: m.choices?.map((c) => c.label) ?? [] });
  return byPerson;
};

// Timeless scenarios only: time-dependent ones run on a manual clock the channels do not share.
const timeless = files.filter((f) => !needsClock(readScenario(f)));

describe('the same quality on every channel', () => {
  if (shared.length === 0) it.skip(`shared scenarios skipped: ${sharedMissing}`, () => undefined);
  it.each(timeless.map((f) => [basename(f), f]))(
    '%s: passes on console, Telegram, WhatsApp (both adapters) and web chat with one outcome',
    async (_n, file) => {
      const transcripts: Record<string, ReturnType<typeof outcome>> = {};
      for (const [name, make] of Object.entries(channels)) {
        const log: SentMessage[] = [];
        const driver = recording(await make(sqliteUrl()), log);
        try {
          await playScenario(readScenario(file), driver);
        } catch (error) {
          throw new Error(`${name}: ${(error as Error).message}`);
        } finally {
          await driver.close();
        }
        transcripts[name] = outcome(log);
      }
      expect(Object.keys(transcripts.console ?? {}).length).toBeGreaterThan(0);
      expect(transcripts.telegram).toEqual(transcripts.console);
      expect(transcripts.whatsapp).toEqual(transcripts.console);
      expect(transcripts.web).toEqual(transcripts.console);
      expect(transcripts.whatsappCloud).toEqual(transcripts.console);
    },
  );
});
