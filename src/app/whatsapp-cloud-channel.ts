import { resolve } from 'node:path';
import type { CloudStore } from '../../bots/whatsapp-cloud/store.js';
import type { Config } from '../config/config.js';
import { loadMunicipality } from '../municipality/municipality.js';
import { conversationKey } from '../ports/messages.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { Clock } from '../shared/clock.js';
import type { ChannelFactory } from './create-app.js';

/** The Cloud API adapter's store: window facts, held messages and delivery states, through the unit of work. */
export function whatsAppCloudStore(uow: UnitOfWork, clock: Clock): CloudStore {
  const address = (userId: string) => ({ channel: 'whatsapp', userId });
  return {
    lastMessageAt: (userId) => uow.run((r) => r.held.lastMessageAt(address(userId))),
    noticeOf: (outboxId) => uow.run((r) => r.held.noticeOf(outboxId)),
    languageOf: (userId) => uow.run((r) => r.conversations.languageOf(conversationKey(address(userId)))),
    hold: (userId, outboxId, message) =>
      uow.run((r) => r.held.hold({ to: address(userId), outboxId, ...message, now: clock.now() })),
    heldFor: (userId) => uow.run((r) => r.held.heldFor(address(userId), 50)),
    release: (heldId) => uow.run((r) => r.held.release(heldId)),
    deliveryState: (outboxId, state) => uow.run((r) => r.conversations.setDeliveryState(outboxId, state)),
  };
}

/** The WhatsApp Business Platform (Cloud API) channel with its webhook, from the configuration. */
export function whatsAppCloudChannel(config: Config): ChannelFactory {
  return async ({ uow, texts, logger, clock }) => {
    const { createWhatsAppCloudAdapter } = await import('../../bots/whatsapp-cloud/cloud-adapter.js');
    const { TemplateSet } = await import('../../bots/whatsapp-cloud/templates.js');
    const dataDir = resolve(config.DATA_DIR);
    const municipality = loadMunicipality(dataDir);
    const adapter = createWhatsAppCloudAdapter({
      graph: {
        apiRoot: config.WHATSAPP_CLOUD_API_ROOT,
        version: config.WHATSAPP_CLOUD_API_VERSION,
        phoneNumberId: config.WHATSAPP_CLOUD_PHONE_NUMBER_ID ?? '',
        token: config.WHATSAPP_CLOUD_TOKEN ?? '',
      },
      appSecret: config.WHATSAPP_CLOUD_APP_SECRET ?? '',
      verifyToken: config.WHATSAPP_CLOUD_VERIFY_TOKEN ?? '',
      store: whatsAppCloudStore(uow, clock),
      // Checked at start: a wrong template file stops start-up naming the file and field.
      templates: TemplateSet.load(dataDir),
      municipality: {
        name: municipality.name,
        timeZone: municipality.timeZone,
        defaultLanguage: municipality.defaultLanguage,
      },
      texts,
      clock,
      messagesPerSecond: config.WHATSAPP_CLOUD_MESSAGES_PER_SECOND,
      logger: logger.child({ channel: 'whatsapp' }),
    });
    return { adapter, routes: (server) => adapter.routes(server) };
  };
}
