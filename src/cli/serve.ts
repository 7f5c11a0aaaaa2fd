import { resolve } from 'node:path';
import { channelsFromConfig } from '../app/channels.js';
import type { FastifyInstance } from 'fastify';
import { createApp, type App } from '../app/create-app.js';
import type { Config } from '../config/config.js';
import { assetsRoute } from '../http/assets-route.js';
import { calendarRoute } from '../http/calendar-route.js';
import { buildHttpServer } from '../http/server.js';
import { loadTheme } from '../municipality/theme.js';
import { commandLogger, loadConfig } from './context.js';

/** `spreekuur serve` (npm start): HTTP, channels and workers in one process, or one ROLE of them. */
export async function serveCommand(): Promise<number> {
  const config = loadConfig();
  const logger = commandLogger(config, { toStderr: false });
  const role = roleParts(config.ROLE);
  const app = await createApp({
    config,
    logger,
    channels: role.channels ? channelsFromConfig(config) : [],
    runJobs: role.jobs,
    dashboard: role.pages,
  });
  const server = buildHttpServer({
    health: () => app.health(),
    ready: () => app.ready(),
    metrics: {
      render: () => app.metrics.registry.render(),
      ...(config.METRICS_TOKEN ? { token: config.METRICS_TOKEN } : {}),
    },
    ...(config.TRUST_PROXY !== undefined ? { trustProxy: config.TRUST_PROXY } : {}),
    routes: httpRoutes(config, app, role),
  });
  // Listening for SIGTERM before the port opens: a stop that comes while the service is still
  // starting (a health check passed, the queue not yet up) waits for the start, then stops cleanly.
  const signalled = waitForSignal();
  await server.listen({ port: config.PORT, host: config.HOST });
  await app.start();
  logger.info(
    {
      role: config.ROLE,
      port: config.PORT,
      database: app.db.kind,
      queue: app.queue.driver,
      channels: [...app.channels.keys()],
    },
    `Spreekuur for ${app.municipality.name} is running as ${ROLE_LINES[config.ROLE]}`,
  );
  if (!role.jobs) logger.warn({ role: config.ROLE }, NO_JOBS_WARNING);
  if (!role.pages && !config.PUBLIC_URL) logger.warn({ role: config.ROLE }, noPublicUrlWarning(config.PORT));
  await signalled;
  logger.info({ role: config.ROLE }, 'stopping');
  await server.close();
  await app.stop();
  // The last line of a stop: without it a log cannot tell a finished stop from a killed one. When the
  // queue did not answer, the line before it says what was not waited for.
  logger.info(
    { role: config.ROLE },
    app.stoppedCleanly
      ? 'stopped: running work finished, database closed'
      : 'stopped: database closed; the job queue did not answer (see the line before)',
  );
  logger.flush();
  return 0;
}

/**
 * Said at start by a role that runs no jobs: replies, cases, reminders and purges wait in the queue
 * until a worker on the same database (and REDIS_URL, if set) takes them.
 */
export const NO_JOBS_WARNING =
  'This process runs no jobs: start at least one ROLE=worker (or ROLE=all) on the same DATABASE_URL and REDIS_URL, or replies, cases and reminders wait in the queue';

/**
 * Said at start by a role that writes links (calendar files in replies and reminders, set-password
 * and case links in mail) but serves none of those pages, when PUBLIC_URL is unset: the links would
 * point at this process's own port, where nothing answers them.
 */
export function noPublicUrlWarning(port: number): string {
  return `PUBLIC_URL is not set: links in messages (calendar files, the dashboard) point at http://localhost:${port}, where this role serves no such pages; set PUBLIC_URL to the address of the web role`;
}

/** What a ROLE runs: `web` the pages (dashboard, calendar files), `worker` the jobs, `channels` the chat networks. */
export function roleParts(role: Config['ROLE']): { pages: boolean; jobs: boolean; channels: boolean } {
  return {
    pages: role === 'all' || role === 'web',
    jobs: role === 'all' || role === 'worker',
    channels: role === 'all' || role === 'channels',
  };
}

const ROLE_LINES: Record<Config['ROLE'], string> = {
  all: 'one process (web pages, jobs and chat channels)',
  web: 'ROLE=web (dashboard and calendar pages; no jobs, no chat channels)',
  worker: 'ROLE=worker (jobs; HTTP only for /healthz, /readyz and /metrics)',
  channels: 'ROLE=channels (chat channels and their webhooks; no jobs, no dashboard)',
};

/**
 * Every role answers /healthz, /readyz and /metrics. Only the web role serves the pages; the channels
 * role serves what its channels need (webhooks, the web chat and the styles it uses); a worker nothing else.
 */
function httpRoutes(
  config: Config,
  app: App,
  role: ReturnType<typeof roleParts>,
): ((server: FastifyInstance) => void)[] {
  if (!role.pages && !role.channels) return [];
  const theme = loadTheme(resolve(config.DATA_DIR));
  const pages = role.pages ? [calendarRoute(app.commands.scheduling.calendarFile)] : [];
  return [assetsRoute(theme), ...pages, ...app.routes];
}

/**
 * Resolves on SIGTERM or SIGINT. Started by npm (`npx spreekuur serve`, `npm start`), also when the
 * process that started this one is gone: `npx` runs the command in a shell, passes SIGTERM to that
 * shell, and the shell ends without passing it on, which left the service running as an orphan.
 */
function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const parent = process.ppid;
    const orphaned = process.env.npm_command
      ? setInterval(() => {
          if (process.ppid !== parent) done();
        }, 250)
      : undefined;
    const done = () => {
      clearInterval(orphaned);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
