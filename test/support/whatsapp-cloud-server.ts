import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  createWhatsAppCloudAdapter,
  type WhatsAppCloudAdapter,
} from '../../bots/whatsapp-cloud/cloud-adapter.js';
import type { CloudRetryPolicy } from '../../bots/whatsapp-cloud/sender.js';
import { TemplateSet } from '../../bots/whatsapp-cloud/templates.js';
import { signBody } from '../../bots/whatsapp-cloud/webhook-route.js';
import { whatsAppCloudStore } from '../../src/app/whatsapp-cloud-channel.js';
import type { ChannelFactory } from '../../src/app/create-app.js';
import { buildHttpServer } from '../../src/http/server.js';
import { loadMunicipality } from '../../src/municipality/municipality.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { startTestApp, type TestApp } from './app-driver.js';
import { CloudWebhooks, FakeGraphApi } from './fake-graph-api.js';

export const APP_SECRET = 'test-app-secret-0123456789abcdef';
export const VERIFY_TOKEN = 'test-verify-token-0123456789';

/** The whole service with the Cloud API adapter: its webhook over real HTTP, Graph on a fake on loopback. */
export interface CloudServer {
  t: TestApp;
  api: FakeGraphApi;
  hooks: CloudWebhooks;
  adapter: WhatsAppCloudAdapter;
  server: FastifyInstance;
  url: string;
  /** POSTs a webhook body, signed with the app secret unless `signature` says otherwise. */
  post(body: unknown, signature?: string | null): Promise<Response>;
  close(): Promise<void>;
}

/** Starts the service (console + Cloud API adapter) and its HTTP server on a free loopback port. */
export async function startCloudServer(options: {
  databaseUrl: string;
  clock?: ManualClock;
  retry?: Partial<CloudRetryPolicy>;
  messagesPerSecond?: number;
}): Promise<CloudServer> {
  const api = await FakeGraphApi.start();
  const dataDir = resolve('data');
  const municipality = loadMunicipality(dataDir);
  const made: { adapter?: WhatsAppCloudAdapter } = {};
  // Made once storage is open, as src/app/whatsapp-cloud-channel.ts makes it, with the test's clock.
  const factory: ChannelFactory = ({ uow, texts, clock }) => {
    const adapter = createWhatsAppCloudAdapter({
      graph: { apiRoot: api.url, version: api.version, phoneNumberId: api.phoneNumberId, token: api.token },
      appSecret: APP_SECRET,
      verifyToken: VERIFY_TOKEN,
      store: whatsAppCloudStore(uow, clock),
      templates: TemplateSet.load(dataDir),
      municipality,
      texts,
      clock,
      retry: { initialMs: 20, maxMs: 200, pairMs: 50, throughputMs: 20, ...options.retry },
      messagesPerSecond: options.messagesPerSecond ?? 1000,
    });
    made.adapter = adapter;
    return { adapter, routes: (s) => adapter.routes(s) };
  };
  const t = await startTestApp({
    databaseUrl: options.databaseUrl,
    // Declared as the deployment declares it: the rules for writing first (broadcasts, poll outcomes)
    // read which WhatsApp runs from here, and without it take the strict whatsapp-web.js rule.
    env: {
      WHATSAPP_CLOUD_ENABLED: 'true',
      WHATSAPP_CLOUD_TOKEN: api.token,
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: api.phoneNumberId,
      WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
      WHATSAPP_CLOUD_VERIFY_TOKEN: VERIFY_TOKEN,
    },
    factories: [factory],
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const server = buildHttpServer({ health: () => t.app.health(), routes: [...t.app.routes] });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const post = (body: unknown, signature?: string | null) => {
    const raw = JSON.stringify(body);
    const sig = signature === undefined ? signBody(raw, APP_SECRET) : signature;
    return fetch(`${url}/whatsapp/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(sig === null ? {} : { 'x-hub-signature-256': sig }),
      },
      body: raw,
    });
  };
  return {
    t,
    api,
    hooks: new CloudWebhooks(api.phoneNumberId),
    adapter: made.adapter!,
    server,
    url,
    post,
    close: async () => {
      await server.close();
      await t.driver.close();
      await api.close();
    },
  };
}
