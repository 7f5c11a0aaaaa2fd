import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Download, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_LAUNCH, CHROMIUM_PATH } from './chromium.js';

export { CHROMIUM_PATH };

/** True when Chromium is installed; browser suites skip (with a line saying so) when it is not. */
export const browserAvailable = existsSync(CHROMIUM_PATH);
if (!browserAvailable) {
  // In CI (SPREEKUUR_REQUIRE_SERVICES=1) a missing browser is a failure, not a quiet skip.
  if (process.env.SPREEKUUR_REQUIRE_SERVICES === '1') throw new Error(`No Chromium at ${CHROMIUM_PATH}`);
  console.warn(`[skip] Browser tests skipped: no Chromium at ${CHROMIUM_PATH}`);
}

/**
 * A browser of this test file's own: its contexts and pages are closed with it. In a run of the
 * integration project it is a connection to the Chromium the run started once
 * (test/support/global-setup.ts): starting one per file cost 0.7-1.2 s of a busy core, 28 times
 * a run. A file run without that setup starts a Chromium of its own, and so does one whose
 * connection fails (the run's Chromium died): one crash costs the files that were using it, not
 * every browser file after it.
 */
export async function launchBrowser(): Promise<Browser> {
  const endpoint = inject('browserEndpoint');
  if (endpoint) {
    try {
      return await chromium.connect(endpoint, { timeout: 30_000 });
    } catch (error) {
      console.warn(
        `[browser] the run's Chromium did not answer (${String(error).slice(0, 200)}); starting one for this file`,
      );
    }
  }
  return chromium.launch(CHROMIUM_LAUNCH);
}

/**
 * What a download holds, as text. Read from its stream: `download.path()` does not exist on a
 * browser connected to the run's Chromium (the file is on the browser's side).
 */
export async function downloadedText(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The WCAG 2.1 AA rule sets axe checks. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe on the page (or the part `include` selects) at WCAG 2.1 AA; returns the violations, readable. */
export async function axeViolations(page: Page, include?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_21_AA);
  if (include) builder = builder.include(include);
  // AxeBuilder's default (axe.runPartial in each frame, then axe.finishRun in a blank page it opens
  // and injects axe into again) exists for frames from other origins. On a page without frames,
  // axe.run in the page itself (its "legacy mode") gives the same violations, passes and incomplete
  // results, node for node (compared on the dashboard's pages and on one with errors added), in a
  // third of the time: 250-380 ms against 700-1,000 ms a run here, and the browser suites run axe
  // some 140 times. Pages with frames (the widget's) keep the default.
  if (page.frames().length === 1) builder = builder.setLegacyMode(true);
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
