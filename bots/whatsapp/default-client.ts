import type { WhatsAppClientFactory, WhatsAppClientLike } from './client.js';

/** Chromium flags for a headless server: no sandbox (containers), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
] as const;

/**
 * The real client: whatsapp-web.js driving WhatsApp Web in Chromium, its session kept by
 * LocalAuth in `sessionDir`. Imported lazily so tests and Telegram-only installs never load
 * puppeteer.
 */
export const createWebJsClient: WhatsAppClientFactory = async ({ sessionDir, executablePath }) => {
  const { default: wwebjs } = await import('whatsapp-web.js');
  const client: WhatsAppClientLike = new wwebjs.Client({
    authStrategy: new wwebjs.LocalAuth({ dataPath: sessionDir }),
    puppeteer: { executablePath, headless: true, args: [...CHROMIUM_ARGS] },
  });
  return client;
};
