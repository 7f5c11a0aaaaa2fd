import { connecting } from '../app/startup-errors.js';
import { Database } from '../storage/database.js';
import { parseDatabaseUrl } from '../storage/database-url.js';
import { loadConfig } from './context.js';

/** `spreekuur migrate`: applies pending migrations (they also run at every start). */
export async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  const db = await connecting('DATABASE_URL', config.DATABASE_URL, () =>
    Database.open(parseDatabaseUrl(config.DATABASE_URL), {
      connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_SECONDS * 1000,
    }),
  );
  await db.close();
  process.stderr.write('Database is up to date.\n');
  return 0;
}
