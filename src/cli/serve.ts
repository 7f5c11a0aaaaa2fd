import type { Logger } from 'pino';
import { App } from '../app/app.js';
import type { Config } from '../config/config.js';
import { buildHttpServer } from '../http/server.js';
import type { ChannelSetup } from './channels.js';
import { commandLogger, loadConfig } from './context.js';

/** `spreekuur serve` (npm start): HTTP, channels and workers in one process. */
export async function serveCommand(): Promise<number> {
  const config = loadConfig();
  const logger = commandLogger(config, { toStderr: false });
  const channels = await createChannels(config, logger);
  const app = await App.create({
    config,
    logger,
    channels: channels.map((c) => c.adapter),
    runJobs: config.ROLE !== 'web',
  });
  const server = buildHttpServer({
    health: () => app.health(),
    routes: channels.flatMap((c) => (c.routes ? [c.routes] : [])),
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

/** Builds the configured chat channels; their SDKs load only when they are switched on. */
async function createChannels(config: Config, logger: Logger): Promise<ChannelSetup[]> {
  const { channelsFromConfig } = await import('./channels.js');
  return channelsFromConfig(config, logger);
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
