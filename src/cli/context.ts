import { config as loadDotenv } from 'dotenv';
import type { Logger } from 'pino';
import { parseConfig, type Config } from '../config/config.js';
import { createLogger } from '../shared/logger.js';

/** Reads `.env` (when there is one) and the environment into a checked configuration. */
export function loadConfig(): Config {
  loadDotenv({ quiet: true });
  return parseConfig(process.env);
}

/** A logger for a command; commands whose stdout is data log to stderr. */
export function commandLogger(config: Config, options: { toStderr: boolean; level?: string }): Logger {
  return createLogger({
    level: options.level ?? config.LOG_LEVEL,
    production: config.NODE_ENV === 'production',
    toStderr: options.toStderr,
  });
}
