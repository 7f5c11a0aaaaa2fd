import { resolve } from 'node:path';
import type { WebChatHistory } from '../../bots/web/history.js';
import type { Config } from '../config/config.js';
import { secretFromFile } from '../config/secret-file.js';
import { loadMunicipality } from '../municipality/municipality.js';
import { loadTheme } from '../municipality/theme.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { ChannelFactory } from './create-app.js';

/** The web chat's history port: a resident's transcript, read through the unit of work. */
export function webChatHistory(uow: UnitOfWork): WebChatHistory {
  return {
    recent: (userId, limit) => uow.run((r) => r.conversations.transcript({ channel: 'web', userId }, limit)),
  };
}

/** The web chat channel with its routes (/chat, the widget, the sockets), from the configuration. */
export function webChatChannel(config: Config): ChannelFactory {
  return async ({ uow, texts, logger }) => {
    const { createWebChatAdapter } = await import('../../bots/web/web-adapter.js');
    const dataDir = resolve(config.DATA_DIR);
    const municipality = loadMunicipality(dataDir);
    const theme = loadTheme(dataDir);
    const adapter = createWebChatAdapter({
      history: webChatHistory(uow),
      texts,
      municipality: municipality.name,
      defaultLanguage: municipality.defaultLanguage,
      secret: secretFromFile(
        config.WEBCHAT_COOKIE_SECRET,
        config.WEBCHAT_SECRET_FILE,
        'WEBCHAT_COOKIE_SECRET',
      ),
      allowedOrigins: config.WEBCHAT_ALLOWED_ORIGINS,
      ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
      logo: { src: `/assets/logo${theme.logo.extension}`, alt: theme.logo.alt },
      limits: {
        perResidentPerMinute: config.WEBCHAT_RATE_PER_MINUTE,
        perAddressPerMinute: config.WEBCHAT_ADDRESS_RATE_PER_MINUTE,
      },
      logger: logger.child({ channel: 'web' }),
    });
    return { adapter, routes: (server) => adapter.routes(server) };
  };
}
