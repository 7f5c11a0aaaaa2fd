import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { ChannelAdapter } from '../engine/channel.js';

/** A channel and the HTTP routes it needs (the Telegram webhook). */
export interface ChannelSetup {
  adapter: ChannelAdapter;
  routes?: (server: FastifyInstance) => void;
}

/** The chat channels switched on in the configuration. */
export function channelsFromConfig(_config: Config, _logger: Logger): Promise<ChannelSetup[]> {
  return Promise.resolve([]);
}
