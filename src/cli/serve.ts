import { resolve } from 'node:path';
import { channelsFromConfig } from '../app/channels.js';
import { createApp } from '../app/create-app.js';
import { assetsRoute } from '../http/assets-route.js';
import { calendarRoute } from '../http/calendar-route.js';
import { buildHttpServer } from '../http/server.js';
import { loadTheme } from '../municipality/theme.js';
import { commandLogger, loadConfig } from './context.js';

/** `spreekuur serve` (npm start): HTTP, channels and workers in one process. */
export async function serveCommand(): Promise<number> {
  const config = loadConfig();
  const logger = commandLogger(config, { toStderr: false });
  // ROLE splits the service over processes: web (HTTP only), worker (jobs), channels (chat networks).
  const servesChannels = config.ROLE === 'all' || config.ROLE === 'channels';
  const app = await createApp({
    config,
    logger,
    channels: servesChannels ? channelsFromConfig(config) : [],
    runJobs: config.ROLE === 'all' || config.ROLE === 'worker',
  });
  const theme = loadTheme(resolve(config.DATA_DIR));
  const server = buildHttpServer({
    health: () => app.health(),
    ready: () => app.ready(),
    metrics: {
      render: () => app.metrics.registry.render(),
      ...(config.METRICS_TOKEN ? { token: config.METRICS_TOKEN } : {}),
    },
    ...(config.TRUST_PROXY !== undefined ? { trustProxy: config.TRUST_PROXY } : {}),
    routes: [assetsRoute(theme), calendarRoute(app.commands.scheduling.calendarFile), ...app.routes],
  });
  // Listening for SIGTERM before the port opens: a stop that comes while the service is still
  // starting (a health check passed, the queue not yet up) waits for the start, then stops cleanly.
  const signalled = waitForSignal();
  await server.listen({ port: config.PORT, host: config.HOST });
  await app.start();
  logger.info(
    { port: config.PORT, database: app.db.kind, queue: app.queue.driver, channels: [...app.channels.keys()] },
    `Spreekuur for ${app.municipality.name} is running`,
  );
  await signalled;
  logger.info('stopping');
  await server.close();
  await app.stop();
  logger.flush();
  return 0;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
