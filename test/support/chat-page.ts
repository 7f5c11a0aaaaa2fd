import type { Frame, FrameLocator, Page } from 'playwright-core';
import type { WebChatServer } from './web-chat-server.js';

/** A chat page or the chat inside the widget's frame. */
export type ChatView = Page | Frame | FrameLocator;

const SERVICE = '#spreekuur-log li.spreekuur-message--service';

/** How many messages the service has stored for web chat residents (the page must show them all). */
async function storedReplies(web: WebChatServer): Promise<number> {
  const rows = await web.t.app.db.run((m) =>
    m.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'message' AND channel = 'web'`),
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Waits until everything the service caused so far is on the page: the service settled, every
 * stored reply shown, and no message of the resident still waiting for its acknowledgement.
 */
export async function settled(view: ChatView, web: WebChatServer): Promise<void> {
  await web.t.app.settle();
  const expected = await storedReplies(web);
  await view
    .locator(SERVICE)
    .nth(expected - 1)
    .waitFor({ state: 'attached' });
  await view.locator('.spreekuur-message--pending').first().waitFor({ state: 'detached' });
}

/** Types a message in the box and presses Enter, then waits for everything it caused. */
export async function say(view: ChatView, web: WebChatServer, text: string): Promise<void> {
  await view.locator('#spreekuur-input').fill(text);
  await view.locator('#spreekuur-input').press('Enter');
  await settled(view, web);
}

/** Presses the choice button with this label, then waits for everything it caused. */
export async function choose(view: ChatView, web: WebChatServer, label: string | RegExp): Promise<void> {
  await view.locator('#spreekuur-choice-list button', { hasText: label }).first().click();
  await settled(view, web);
}

/** The texts of the service's messages on the page, in order. */
export function serviceTexts(view: ChatView): Promise<string[]> {
  return view.locator(`${SERVICE} .spreekuur-bubble`).allTextContents();
}
