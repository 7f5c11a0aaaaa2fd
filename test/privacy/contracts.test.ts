import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { features } from '../../src/features/index.js';
import { loadMunicipality } from '../../src/municipality/municipality.js';
import { retentionKeys } from '../../src/municipality/retention.js';
import { Database } from '../../src/storage/database.js';
import { ConfigError } from '../../src/shared/errors.js';
import { databaseKinds, freshTarget } from '../support/services.js';
import { tablesOf } from './scan.js';
import { shippedTexts } from '../support/texts.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const stores = features.flatMap((f) => (f.privacy?.stores ?? []).map((s) => ({ ...s, feature: f.name })));

describe.each(databaseKinds)('privacy contracts on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'every table the migrations make has exactly one owning contract, and every declared column exists',
    async () => {
      const fresh = await freshTarget(kind);
      const db = await Database.open(fresh.target);
      cleanups.push(fresh.cleanup, () => db.close());
      const tables = await tablesOf(db);
      expect(tables.size).toBeGreaterThan(5);
      // A new feature's table without a contract fails here: it must say what it holds and for how long.
      const unowned = [...tables.keys()].filter((t) => !stores.some((s) => s.table === t));
      expect(unowned, 'tables without a privacy contract (src/features/*/privacy.ts)').toEqual([]);
      for (const table of tables.keys())
        expect(
          stores.filter((s) => s.table === table).map((s) => s.feature),
          table,
        ).toHaveLength(1);
      for (const store of stores) {
        expect(
          tables.has(store.table),
          `${store.feature} declares a table "${store.table}" that does not exist`,
        ).toBe(true);
        for (const column of store.personal) expect(tables.get(store.table), store.table).toContain(column);
      }
    },
  );
});

describe('privacy contracts', () => {
  it("give every table with residents' data a retention term from data/retention.json", () => {
    for (const store of stores) {
      if (store.about === 'residents') expect(retentionKeys, store.table).toContain(store.retention);
      if (store.about === 'nobody') expect(store.personal, store.table).toEqual([]);
      if (store.retention) expect(retentionKeys).toContain(store.retention);
    }
  });
});

describe('the privacy page', () => {
  it("names every table with residents' data in words, in Dutch and English (it showed the table names)", () => {
    for (const store of stores.filter((s) => s.about === 'residents'))
      for (const lang of ['nl', 'en'] as const)
        expect(
          shippedTexts[lang][`dashboard.privacy.table.${store.table}`],
          `${lang} ${store.table}`,
        ).toBeTruthy();
  });
});

describe('data/retention.json', () => {
  function dataWith(edit: (retention: Record<string, { days: unknown; from: string }>) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'retention-'));
    cpSync('data', dir, { recursive: true });
    const file = join(dir, 'retention.json');
    const retention = JSON.parse(readFileSync(file, 'utf8')) as Record<
      string,
      { days: unknown; from: string }
    >;
    edit(retention);
    writeFileSync(file, JSON.stringify(retention));
    return dir;
  }

  it('is checked at start: a wrong term stops start-up naming the file and the field', () => {
    const negative = dataWith((r) => (r.cases!.days = -3));
    expect(() => loadMunicipality(negative)).toThrow(ConfigError);
    expect(() => loadMunicipality(negative)).toThrow(/retention\.json: cases\.days: expected at least 1 day/);
    const missing = dataWith((r) => delete r.bookings);
    expect(() => loadMunicipality(missing)).toThrow(/retention\.json: bookings/);
    const shortAudit = dataWith((r) => (r.audit!.days = 10));
    expect(() => loadMunicipality(shortAudit)).toThrow(/audit\.days: expected at least 730/);
  });

  it('is where the privacy notice takes its numbers from', async () => {
    const { translator, loadTexts } = await import('../../src/i18n/translator.js');
    const { firstContact } = await import('../../flows/frame.js');
    const dir = dataWith((r) => {
      r.messages!.days = 45;
      r.cases!.days = 400;
      r.bookings!.days = 120;
    });
    const municipality = loadMunicipality(dir);
    const texts = loadTexts(join(dir, 'i18n'));
    const context = {
      municipality,
      lang: 'nl' as const,
      t: translator(texts, 'nl'),
      tIn: (lang: 'nl' | 'en') => translator(texts, lang),
    };
    const notice = JSON.stringify(firstContact(context as unknown as Parameters<typeof firstContact>[0]).say);
    expect(notice).toContain('45 dagen');
    expect(notice).toContain('400 dagen');
    // A whole number of months from 120 days on is said in months (retentionTerm), never shorter.
    expect(notice).toContain('4 maanden');
  });
});
