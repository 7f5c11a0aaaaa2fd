import { resolve } from 'node:path';
import { App } from '../app/app.js';
import { calendarLookup } from '../features/scheduling/calendar.js';
import { assetsRoute } from '../http/assets-route.js';
import { calendarRoute } from '../http/calendar-route.js';
import { buildHttpServer } from '../http/server.js';
import { loadTheme } from '../municipality/theme.js';
import { channelsFromConfig, type ChannelBackend } from './channels.js';
import { commandLogger, loadConfig } from './context.js';

/** `spreekuur serve` (npm start): HTTP, channels and workers in one process. */
export async function serveCommand(): Promise<number> {
  const config = loadConfig();
  const logger = commandLogger(config, { toStderr: false });
  // ROLE splits the service over processes: web (HTTP only), worker (jobs), channels (chat networks).
  const backend: ChannelBackend = {};
  const servesChannels = config.ROLE === 'all' || config.ROLE === 'channels';
  const channels = servesChannels ? await channelsFromConfig(config, logger, backend) : [];
  const app = await App.create({
    config,
    logger,
    channels: channels.map((c) => c.adapter),
    runJobs: config.ROLE === 'all' || config.ROLE === 'worker',
  });
  backend.uow = app.uow;
  const theme = loadTheme(resolve(config.DATA_DIR));
  const server = buildHttpServer({
    health: () => app.health(),
    routes: [
      assetsRoute(theme),
      calendarRoute(calendarLookup(app)),
      ...channels.flatMap((c) => (c.routes ? [c.routes] : [])),
    ],
  });
  await server.listen({ port: config.PORT, host: config.HOST });
  await app.start();
  logger.info(
    { port: config.PORT, database: app.db.kind, queue: app.queue.driver, channels: [...app.channels.keys()] },
    `Spreekuur for ${app.municipality.name} is running`,
  );
  await waitForSignal();
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
