import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signBody } from '../../bots/whatsapp-cloud/webhook-route.js';
import { channelsFromConfig } from '../../src/app/channels.js';
import { parseConfig } from '../../src/config/config.js';
import { buildHttpServer } from '../../src/http/server.js';
import { startTestApp } from '../support/app-driver.js';
import { CloudWebhooks, FakeGraphApi } from '../support/fake-graph-api.js';
import { sqliteUrl } from '../support/services.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const SECRET = 'service-app-secret-0123456789';

function cloudEnv(api: FakeGraphApi, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WHATSAPP_CLOUD_ENABLED: 'true',
    WHATSAPP_CLOUD_TOKEN: api.token,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: api.phoneNumberId,
    WHATSAPP_CLOUD_APP_SECRET: SECRET,
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'service-verify-token-0123',
    WHATSAPP_CLOUD_API_ROOT: api.url,
    WHATSAPP_CLOUD_API_VERSION: api.version,
    WEBCHAT_ENABLED: 'false',
    ...extra,
  };
}

describe('the WhatsApp Cloud API channel as the service makes it from its configuration', () => {
  it('mounts the webhook, reports ready and answers a signed message through the Graph API', async () => {
    const api = await FakeGraphApi.start();
    cleanups.push(() => api.close());
    const databaseUrl = sqliteUrl();
    const env = cloudEnv(api);
    const config = parseConfig({ DATABASE_URL: databaseUrl, ...env });
    const t = await startTestApp({ databaseUrl, env, factories: channelsFromConfig(config) });
    cleanups.push(() => t.driver.close());
    const server = buildHttpServer({ health: () => t.app.health(), routes: [...t.app.routes] });
    await server.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => server.close());
    const address = server.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/whatsapp/webhook`;
    const handshake = await fetch(
      `${url}?hub.mode=subscribe&hub.verify_token=service-verify-token-0123&hub.challenge=42`,
    );
    expect(await handshake.text()).toBe('42');
    expect((await t.app.health()).channels).toMatchObject({ whatsapp: 'ready' });
    const raw = JSON.stringify(new CloudWebhooks(api.phoneNumberId).text('31612349999', 'hallo'));
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, SECRET) },
      body: raw,
    });
    expect(response.status).toBe(200);
    await expect.poll(() => api.sentTo('31612349999').length, { timeout: 20_000 }).toBeGreaterThan(0);
  });

  it('stops start-up with one line naming the template file when it is wrong', async () => {
    const api = await FakeGraphApi.start();
    cleanups.push(() => api.close());
    const dir = mkdtempSync(join(tmpdir(), 'spreekuur-data-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cpSync('data', dir, { recursive: true });
    const file = join(dir, 'whatsapp-templates.json');
    const templates = JSON.parse(readFileSync(file, 'utf8')) as {
      templates: Record<string, { parameters: string[] }>;
    };
    templates.templates['booking.reminder']!.parameters = ['date'];
    writeFileSync(file, JSON.stringify(templates));
    const databaseUrl = sqliteUrl();
    const env = cloudEnv(api, { DATA_DIR: dir });
    const config = parseConfig({ DATABASE_URL: databaseUrl, ...env });
    await expect(startTestApp({ databaseUrl, env, factories: channelsFromConfig(config) })).rejects.toThrow(
      /^Data error: .*whatsapp-templates\.json: templates\.booking\.reminder\.body\.nl: has 2 placeholders/,
    );
  });
});
