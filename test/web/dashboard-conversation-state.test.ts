import { describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
import { translator } from '../../src/i18n/translator.js';
import { flowLabels, placeWords } from '../../src/http/dashboard/conversation-place.js';
import { flowSet } from '../../flows/index.js';
import { shippedTexts } from '../support/texts.js';

const dash = useDashboardBrowser();

/** The flows' own labels, as the app gives them to the dashboard. */
const labels = flowLabels(flowSet.flows);

describe('where a conversation is, in words', () => {
  it('regression: every mode has words in Dutch and English, a live session too', () => {
    const live = { mode: 'live', flow: null, step: null, outer: [] };
    for (const [lang, words] of [
      ['nl', 'Live gesprek met de wethouder'],
      ['en', 'Live conversation with the alderman'],
    ] as const)
      expect(placeWords(live, translator(shippedTexts, lang), labels, null)).toEqual({
        mode: words,
        at: null,
        step: null,
        raw: 'live',
      });
    const en = translator(shippedTexts, 'en');
    const human = { mode: 'human', flow: null, step: null, outer: [] };
    expect(placeWords(human, en, labels, null).mode).toBe('Waiting for an operator');
    // Regression: "With an operator" did not say which one.
    expect(placeWords(human, en, labels, 'Otto').mode).toBe('With an operator (Otto)');
  });

  it('regression: a flow without a menu label or title (stop, switch, case-answered) was "Bezig met een vraag"', () => {
    const nl = translator(shippedTexts, 'nl');
    const stopping = { mode: 'bot', flow: 'stop', step: 'confirm', outer: [] };
    expect(placeWords(stopping, nl, labels, null)).toEqual({
      mode: 'Chatbot',
      at: 'Stoppen met de chatbot',
      step: 'Bevestigt het stoppen',
      raw: 'bot · stop / confirm',
    });
    // Every flow, at every step, says where the resident is in words of its own.
    const other = nl('dashboard.conversation.at_other');
    for (const flow of flowSet.flows.filter((f) => f.name !== 'menu'))
      for (const step of Object.keys(flow.steps))
        expect(
          placeWords({ mode: 'bot', flow: flow.name, step, outer: [] }, nl, labels, null).at,
          `${flow.name}/${step}`,
        ).not.toBe(other);
  });

  it('the step says what the resident does now, also in a flow another one started', () => {
    const en = translator(shippedTexts, 'en');
    const postcode = { mode: 'bot', flow: 'district', step: 'ask', outer: ['book'] };
    expect(placeWords(postcode, en, labels, null)).toMatchObject({
      at: 'Making an appointment with the alderman',
      step: 'Waiting for a postcode',
    });
    // A stop question in the middle of a booking: booking is the place, the question the step.
    const stop = { mode: 'bot', flow: 'stop', step: 'confirm', outer: ['book'] };
    expect(placeWords(stop, en, labels, null).step).toBe('Confirming that they want to stop');
    // The switch question has no step label of its own: its flow's label says it.
    const switching = { mode: 'bot', flow: 'switch', step: 'ask', outer: ['ask'] };
    expect(placeWords(switching, en, labels, null)).toMatchObject({
      at: 'Asking a question',
      step: 'Choosing: go on or start something else',
    });
    // A step without a label in the flow that names the place adds nothing.
    const listing = { mode: 'bot', flow: 'my-appointments', step: 'list', outer: [] };
    expect(placeWords(listing, en, labels, null).step).toBeNull();
  });
});

describe.skipIf(!browserAvailable)('a conversation page in Chromium', { timeout: 240_000 }, () => {
  it('regression: the facts showed the stored mode and step ("bot", "district / ask") instead of words', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    const { driver } = server.t;
    const otto = await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
    await server.addAccount({ email: 'ada@rijswijk.nl', name: 'Ada', role: 'admin' });
    // Booking asks the district first: the resident is still making an appointment.
    await driver.send('booker', 'hallo');
    await driver.send('booker', 'afspraak');
    await driver.send('idle', 'hallo');
    await driver.send('waiter', 'hallo');
    await driver.send('waiter', 'medewerker');
    await driver.send('helped', 'hallo');
    await driver.send('helped', 'medewerker');
    await server.t.app.commands.webcare.take({ id: otto.id }, 'console:helped');
    await driver.send('quiet', 'stop');
    await driver.send('quiet', 'ja');

    const { page } = await dash.page('10.3.0.1');
    await signIn(page, server.url, 'otto@rijswijk.nl');
    const facts = async (key: string) => {
      await page.goto(`${server.url}/dashboard/conversations/console%3A${key}`);
      return page.locator('.dash-facts').innerText();
    };
    const booker = await facts('booker');
    expect(booker).toContain('Stand van het gesprek\nChatbot');
    expect(booker).toContain('Waar in de chatbot\nAfspraak maken met de wethouder');
    expect(booker).toContain('Stap\nWacht op een postcode');
    expect(booker).not.toMatch(/\bbot\b|district|book|ask/);
    expect(await page.locator('.dash-facts code').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(await facts('idle')).toContain('Waar in de chatbot\nIn het menu');
    const waiter = await facts('waiter');
    expect(waiter).toContain('Stand van het gesprek\nWacht op een medewerker');
    expect(waiter).not.toContain('Waar in de chatbot');
    expect(await facts('helped')).toContain('Stand van het gesprek\nMet een medewerker (Otto)');
    expect(await facts('quiet')).toContain('Stand van het gesprek\nGestopt (krijgt geen berichten)');
    // At 375 px the facts stay inside the screen.
    await page.setViewportSize({ width: 375, height: 800 });
    await facts('booker');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

    // The case file says the same words.
    const text = await page.request.get(`${server.url}/dashboard/conversations/console%3Abooker/export.txt`);
    const body = await text.text();
    expect(body).toContain(
      'Stand van het gesprek: Chatbot\nWaar in de chatbot: Afspraak maken met de wethouder\nStap: Wacht op een postcode\n',
    );

    // An administrator also sees the stored value, for support.
    const admin = await dash.page('10.3.0.2');
    await signIn(admin.page, server.url, 'ada@rijswijk.nl');
    await admin.page.goto(`${server.url}/dashboard/conversations/console%3Abooker`);
    expect(await admin.page.locator('.dash-facts code').textContent()).toBe('bot · book › district / ask');
    expect(await axeViolations(admin.page)).toEqual([]);
  });

  it('regression: the Spreekuren and Gesprekken intros sat tight against the form under them', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
    const { page } = await dash.page('10.3.0.3');
    await signIn(page, server.url, 'otto@rijswijk.nl');
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      for (const path of ['hours', 'conversations']) {
        await page.goto(`${server.url}/dashboard/${path}`);
        const intro = page.locator('main h1 + .utrecht-paragraph');
        const [text, form] = await Promise.all([
          intro.boundingBox(),
          page.locator('main h1 + .utrecht-paragraph + form').boundingBox(),
        ]);
        expect(text && form, `${path}: an intro right above the form`).toBeTruthy();
        const gap = form!.y - (text!.y + text!.height);
        expect(gap, `${path} at ${width} px`).toBeGreaterThanOrEqual(16);
      }
    }
  });

  it('regression: the list did not say where each conversation stands, nor a page which language the resident reads', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    const { driver } = server.t;
    const otto = await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
    await driver.send('booker', 'hallo');
    await driver.send('booker', 'afspraak');
    await driver.send('helped', 'medewerker');
    await server.t.app.commands.webcare.take({ id: otto.id }, 'console:helped');
    await driver.send('waiter', 'hallo');
    await driver.send('waiter', 'medewerker');
    await driver.send('english', 'hello');
    await driver.send('english', 'English');
    await driver.send('english', 'question');

    const { page } = await dash.page('10.3.0.3');
    await signIn(page, server.url, 'otto@rijswijk.nl');
    await page.goto(`${server.url}/dashboard/conversations`);
    const headers = await page.locator('.dash-table thead th').allInnerTexts();
    expect(headers[1]).toBe('Stand');
    const state = async (key: string) =>
      page
        .locator('.dash-table tbody tr', { hasText: `console:${key}` })
        .locator('td')
        .nth(1)
        .innerText();
    expect(await state('booker')).toBe('Chatbot\nAfspraak maken met de wethouder');
    expect(await state('waiter')).toBe('Wacht op een medewerker');
    expect(await state('helped')).toBe('Met een medewerker (Otto)');
    expect(await state('english')).toBe('Chatbot\nEen vraag stellen');
    expect(await axeViolations(page)).toEqual([]);

    // An operator who takes over writes in the resident's language: the page says which.
    await page.goto(`${server.url}/dashboard/conversations/console%3Aenglish`);
    const facts = await page.locator('.dash-facts').innerText();
    expect(facts).toContain('Taal van het gesprek\nEngels');
    expect(facts).toContain('Stap\nSchrijft de vraag');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${server.url}/dashboard/conversations/console%3Abooker`);
    expect(await page.locator('.dash-facts').innerText()).toContain('Taal van het gesprek\nNederlands');
    const text = await page.request.get(`${server.url}/dashboard/conversations/console%3Aenglish/export.txt`);
    // Regression too: the case file said the stored channel ("Kanaal: console"), not the page's word.
    expect(await text.text()).toContain('Kanaal: Console\nTaal van het gesprek: Engels\n');
  });
});
