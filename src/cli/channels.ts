import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { ChannelAdapter } from '../engine/channel.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';

/** A channel and the HTTP routes it needs (the Telegram webhook). */
export interface ChannelSetup {
  adapter: ChannelAdapter;
  routes?: (server: FastifyInstance) => void;
}

/** What channels ask of the rest of the service once it is built (late-bound: the app needs the channels first). */
export interface ChannelBackend {
  uow?: UnitOfWork;
}

/** The chat channels switched on in the configuration; their SDKs load only when they are. */
export async function channelsFromConfig(
  config: Config,
  logger: Logger,
  backend: ChannelBackend,
): Promise<ChannelSetup[]> {
  const setups: ChannelSetup[] = [];
  if (config.TELEGRAM_BOT_TOKEN) {
    const { createTelegramAdapter } = await import('../../bots/telegram/telegram-adapter.js');
    const adapter = createTelegramAdapter({
      token: config.TELEGRAM_BOT_TOKEN,
      logger: logger.child({ channel: 'telegram' }),
      ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
      ...(config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET
        ? { webhook: { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET } }
        : {}),
    });
    setups.push({
      adapter,
      ...(config.TELEGRAM_WEBHOOK_URL ? { routes: (server) => adapter.mountWebhook(server) } : {}),
    });
  }
  if (config.WHATSAPP_ENABLED) {
    const { createWhatsAppAdapter } = await import('../../bots/whatsapp/whatsapp-adapter.js');
    const adapter = createWhatsAppAdapter({
      sessionDir: config.WHATSAPP_SESSION_DIR,
      executablePath: config.PUPPETEER_EXECUTABLE_PATH,
      logger: logger.child({ channel: 'whatsapp' }),
      // Only ever write to people who wrote first: the database knows who did.
      knownContact: async (userId) =>
        backend.uow
          ? backend.uow.run((r) => r.conversations.hasConversation({ channel: 'whatsapp', userId }))
          : false,
      onDelivery: (outboundId, state) => {
        void backend.uow
          ?.run((r) => r.conversations.setDeliveryState(Number(outboundId), state))
          .catch((err: unknown) => logger.warn({ err: String(err) }, 'could not record a delivery state'));
      },
    });
    setups.push({ adapter });
  }
  return setups;
}
