import { createApp, type App } from '../app/create-app.js';
import { commandLogger, loadConfig } from './context.js';

/** Runs an administrative command against the service's data (no channels, no job processing), then closes. */
export async function withCommandApp(fn: (app: App) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const app = await createApp({
    config,
    logger: commandLogger(config, { toStderr: true, level: 'warn' }),
    runJobs: false,
    dashboard: false,
    conversationsAtFirstTurn: true,
  });
  try {
    return await fn(app);
  } finally {
    await app.stop();
  }
}
