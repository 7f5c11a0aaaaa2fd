/**
 * Takes the README's screenshot of the case inbox (docs/img/dashboard-inbox.png) with Debian's
 * Chromium: a fresh SQLite database, questions asked through the chat as residents do, an operator
 * signed in through the sign-in form. Run: node bin/run-ts.mjs scripts/inbox-screenshot.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { ConsoleAdapter } from '../bots/console/console-adapter.js';
import { createApp } from '../src/app/create-app.js';
import { parseConfig } from '../src/config/config.js';
import { assetsRoute } from '../src/http/assets-route.js';
import { buildHttpServer } from '../src/http/server.js';
import { loadTheme } from '../src/municipality/theme.js';
import { ManualClock } from '../src/shared/clock.js';
import { createLogger } from '../src/shared/logger.js';

const OUT = resolve(process.argv[2] ?? 'docs/img/dashboard-inbox.png');
const PASSWORD = 'een wachtwoord alleen voor de schermafbeelding';
const DAY = 86_400_000;

const dir = mkdtempSync(join(tmpdir(), 'spreekuur-screenshot-'));
const config = parseConfig({
  DATABASE_URL: `sqlite:${join(dir, 'spreekuur.db')}`,
  LOG_LEVEL: 'silent',
  NODE_ENV: 'test',
  WEBCHAT_ENABLED: 'false',
  DASHBOARD_COOKIE_SECRET: 'a cookie secret for the screenshot only, long enough',
  AUDIT_SECRET: 'an audit secret for the screenshot only, long enough',
});
// Monday 23 November 2026, 09:00 in Rijswijk; the screenshot is taken on Tuesday 1 December.
const clock = new ManualClock('2026-11-23T08:00:00Z');
const app = await createApp({
  config,
  clock,
  logger: createLogger({ level: 'silent', production: true }),
  channels: [() => ({ adapter: new ConsoleAdapter(() => undefined) })],
});
await app.start();
let n = 0;
async function ask(from: string, text: string, postcode: string, topic: string): Promise<void> {
  for (const line of ['hallo', 'vraag', text, 'Klaar', postcode, 'Ja', topic, 'Ja, versturen']) {
    await app.engine.receive({ channel: 'console', userId: from, messageId: `m${++n}`, text: line });
    await app.settle();
  }
}

await ask('r1', 'Mijn groene container is al twee weken niet geleegd.', '2288 GD', 'Afval');
await ask('r2', 'Mag ik op 14 december een kerstmarkt in onze straat houden?', '2280 AB', 'Evenementen');
clock.advance(DAY);
await ask(
  'r3',
  'Er staat al dagen een kapotte fiets tegen de lantaarnpaal.',
  '2288 GD',
  'Groen en openbare ruimte',
);
clock.advance(3 * DAY);
await ask('r4', 'Mijn moeder heeft hulp nodig bij het boodschappen doen.', '2282 AB', 'Zorg en welzijn');
clock.advance(4 * DAY);
await ask(
  'r5',
  'Wanneer wordt het fietspad langs de Haagweg opnieuw geasfalteerd?',
  '2281 AB',
  'Verkeer en parkeren',
);
await ask('r6', 'De grofvuil is niet opgehaald, wat nu?', '2283 AB', 'Afval');
await ask('r7', 'Kan er een extra prullenbak bij de speeltuin komen?', '2288 GD', 'Afval');
clock.advance(DAY / 24);
await app.sweep();

const { account } = await app.commands.accounts.add(
  { email: 'olga@rijswijk.nl', name: 'Olga de Vries', role: 'operator', password: PASSWORD },
  'screenshot',
);
const viewer = { id: account.id, name: account.name, role: account.role };
const first = await app.commands.cases.inbox(viewer, { filters: { topic: 'afval' } });
if (first.cases[0])
  await app.commands.cases.assign(viewer, first.cases[0].reference, { ...viewer, type: 'person' });

const server = buildHttpServer({
  health: () => app.health(),
  routes: [assetsRoute(loadTheme(resolve(config.DATA_DIR))), ...app.routes],
});
await server.listen({ port: 0, host: '127.0.0.1' });
const address = server.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'nl-NL' });
  await page.goto(`${url}/dashboard/sign-in`);
  await page.getByLabel('E-mailadres').fill('olga@rijswijk.nl');
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForLoadState('load');
  await page.goto(`${url}/dashboard/cases`);
  await page.screenshot({ path: OUT, fullPage: true });
  console.log(`wrote ${OUT}`);
} finally {
  await browser.close();
  await server.close();
  await app.stop();
}
