import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium); Playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when Chromium is installed; browser suites skip (with a line saying so) when it is not. */
export const browserAvailable = existsSync(CHROMIUM_PATH);
if (!browserAvailable) {
  // In CI (SPREEKUUR_REQUIRE_SERVICES=1) a missing browser is a failure, not a quiet skip.
  if (process.env.SPREEKUUR_REQUIRE_SERVICES === '1') throw new Error(`No Chromium at ${CHROMIUM_PATH}`);
  console.warn(`[skip] Browser tests skipped: no Chromium at ${CHROMIUM_PATH}`);
}

/** Starts headless Chromium with the flags this machine needs (no sandbox as root, no network calls home). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** The WCAG 2.1 AA rule sets axe checks. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe on the page (or the part `include` selects) at WCAG 2.1 AA; returns the violations, readable. */
export async function axeViolations(page: Page, include?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_21_AA);
  if (include) builder = builder.include(include);
  const result = await builder.analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'unknown'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** The page's live regions: what a screen reader reads out when their text changes. */
const LIVE_REGIONS = '[role="status"], [role="alert"], [aria-live]:not([aria-live="off"])';

/**
 * Starts recording, in the page, what its live regions announce: each time a task changes a live
 * region's text, that region's new text (a MutationObserver, so the order of changes counts, not
 * their timing). `announced` reads the list.
 */
export async function recordAnnouncements(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const selector = ${JSON.stringify(LIVE_REGIONS)};
    const heard = (window.__announced = []);
    const observer = new MutationObserver((records) => {
      const regions = new Set();
      for (const record of records) {
        const node = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
        const region = node && node.closest(selector);
        if (region) regions.add(region);
      }
      for (const region of regions) heard.push(region.textContent.trim());
    });
    for (const region of document.querySelectorAll(selector))
      observer.observe(region, { childList: true, characterData: true, subtree: true });
  })()`);
}

/** What the page's live regions announced since `recordAnnouncements`, in order. */
export function announced(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.__announced');
}
