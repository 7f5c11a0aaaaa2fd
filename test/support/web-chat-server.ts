import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createWebChatAdapter, type WebChatAdapter, type WebChatLimits } from '../../bots/web/web-adapter.js';
import { webChatHistory } from '../../src/app/web-chat-channel.js';
import type { ChannelFactory } from '../../src/app/create-app.js';
import { assetsRoute } from '../../src/http/assets-route.js';
import { buildHttpServer } from '../../src/http/server.js';
import { loadMunicipality } from '../../src/municipality/municipality.js';
import { loadTheme } from '../../src/municipality/theme.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { startTestApp, type TestApp } from './app-driver.js';

/** The whole service with the web chat, its page and sockets served over real HTTP on loopback. */
export interface WebChatServer {
  t: TestApp;
  adapter: WebChatAdapter;
  server: FastifyInstance;
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/** Starts the service (console + web chat) and its HTTP server on a free loopback port. */
export async function startWebChatServer(options: {
  databaseUrl: string;
  allowedOrigins?: string[];
  limits?: Partial<WebChatLimits>;
  clock?: ManualClock;
  env?: Record<string, string>;
}): Promise<WebChatServer> {
  const dataDir = resolve(options.env?.DATA_DIR ?? 'data');
  const theme = loadTheme(dataDir);
  const municipality = loadMunicipality(dataDir);
  const made: { adapter?: WebChatAdapter } = {};
  // Made by the app once its storage is open, as the service makes it (src/app/web-chat-channel.ts).
  const factory: ChannelFactory = ({ uow, texts }) => {
    const adapter = createWebChatAdapter({
      history: webChatHistory(uow),
      texts,
      municipality: municipality.name,
      defaultLanguage: municipality.defaultLanguage,
      secret: 'test-secret-test-secret-test-secret-0123456789',
      allowedOrigins: options.allowedOrigins ?? [],
      logo: { src: `/assets/logo${theme.logo.extension}`, alt: theme.logo.alt },
      ...(options.limits ? { limits: options.limits } : {}),
    });
    made.adapter = adapter;
    return { adapter, routes: (s) => adapter.routes(s) };
  };
  const t = await startTestApp({
    databaseUrl: options.databaseUrl,
    factories: [factory],
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const adapter = made.adapter!;
  const app = t.app;
  const server = buildHttpServer({
    health: () => app.health(),
    routes: [assetsRoute(theme), ...app.routes],
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    t,
    adapter,
    server,
    url,
    close: async () => {
      await server.close();
      await t.driver.close();
    },
  };
}
