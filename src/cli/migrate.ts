import { connecting } from '../app/startup-errors.js';
import { Database } from '../storage/database.js';
import { parseDatabaseUrl } from '../storage/database-url.js';
import { loadConfig } from './context.js';

/**
 * `spreekuur migrate`: applies pending migrations (they also run at every start) and says how many,
 * so an upgrade shows whether its migrations ran here or had already run at a role's start.
 */
export async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  // Opening and migrating both inside `connecting`: a server lost on the way is one line, as at start.
  const applied = await connecting('DATABASE_URL', config.DATABASE_URL, async (connected) => {
    const db = await Database.open(parseDatabaseUrl(config.DATABASE_URL), {
      connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_SECONDS * 1000,
      migrate: false,
    });
    connected();
    try {
      return await db.migrate();
    } finally {
      await db.close();
    }
  });
  process.stderr.write(`${migrationReport(applied)}\n`);
  return 0;
}

/** The line `migrate` prints: what it applied (the newest by name), or that there was nothing to do. */
export function migrationReport(applied: string[]): string {
  const last = applied.at(-1);
  if (last === undefined) return 'No migrations to apply: the database is up to date.';
  const count = applied.length === 1 ? '1 migration' : `${applied.length} migrations`;
  return `Applied ${count}, the last ${last}: the database is up to date.`;
}
