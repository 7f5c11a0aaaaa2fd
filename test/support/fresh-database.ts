import { afterEach } from 'vitest';
import type { DatabaseTarget } from '../../src/storage/database-url.js';
import { Database } from '../../src/storage/database.js';
import { freshTarget } from './services.js';

/**
 * For suites that want a database of their own per test: returns `open(kind)`, which makes a fresh
 * database of `kind`, opens it (migrated) and gives it with its target. Every database opened in a
 * test is closed and dropped after that test, with anything the test added through `later`.
 */
export function freshDatabasePerTest(): {
  open(kind: 'sqlite' | 'postgres'): Promise<{ db: Database; target: DatabaseTarget }>;
  later(cleanup: () => Promise<void>): void;
} {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });
  return {
    async open(kind) {
      const fresh = await freshTarget(kind);
      const db = await Database.open(fresh.target);
      cleanups.push(fresh.cleanup, () => db.close());
      return { db, target: fresh.target };
    },
    later(cleanup) {
      cleanups.push(cleanup);
    },
  };
}
