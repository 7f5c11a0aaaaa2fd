import type { Config } from '../config/config.js';
import type { ChannelFactory } from './create-app.js';
import { webChatChannel } from './web-chat-channel.js';
import { whatsAppCloudChannel } from './whatsapp-cloud-channel.js';

/** The chat channels switched on in the configuration; their SDKs load only when they are. */
export function channelsFromConfig(config: Config): ChannelFactory[] {
  const factories: ChannelFactory[] = [];
  const {
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_WEBHOOK_URL: webhookUrl,
    TELEGRAM_WEBHOOK_SECRET: secret,
  } = config;
  if (token) {
    factories.push(async ({ logger, texts }) => {
      const { createTelegramAdapter } = await import('../../bots/telegram/telegram-adapter.js');
      const adapter = createTelegramAdapter({
        token,
        texts,
        logger: logger.child({ channel: 'telegram' }),
        ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
        ...(webhookUrl && secret ? { webhook: { url: webhookUrl, secret } } : {}),
      });
      return { adapter, ...(webhookUrl ? { routes: (server) => adapter.mountWebhook(server) } : {}) };
    });
  }
  if (config.WHATSAPP_ENABLED) {
    factories.push(async ({ logger, uow, texts }) => {
      const { createWhatsAppAdapter } = await import('../../bots/whatsapp/whatsapp-adapter.js');
      const adapter = createWhatsAppAdapter({
        sessionDir: config.WHATSAPP_SESSION_DIR,
        executablePath: config.PUPPETEER_EXECUTABLE_PATH,
        texts,
        logger: logger.child({ channel: 'whatsapp' }),
        // Only ever write to people who wrote first: the database knows who did.
        knownContact: (userId) =>
          uow.run((r) => r.conversations.hasConversation({ channel: 'whatsapp', userId })),
        onDelivery: (outboundId, state) => {
          void uow
            .run((r) => r.conversations.setDeliveryState(Number(outboundId), state))
            .catch((err: unknown) => logger.warn({ err: String(err) }, 'could not record a delivery state'));
        },
      });
      return { adapter };
    });
  }
  if (config.WHATSAPP_CLOUD_ENABLED) factories.push(whatsAppCloudChannel(config));
  if (config.WEBCHAT_ENABLED) factories.push(webChatChannel(config));
  return factories;
}
