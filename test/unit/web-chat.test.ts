import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toEntries } from '../../bots/web/history.js';
import { escapeHtml, splitLinks } from '../../bots/web/links.js';
import { OriginPolicy } from '../../bots/web/origins.js';
import { parseClientFrame } from '../../bots/web/protocol.js';
import { RateLimiter } from '../../bots/web/rate-limit.js';
import { pickLanguage } from '../../bots/web/texts.js';
import { secretFromFile } from '../../src/config/secret-file.js';

describe('web chat parts', () => {
  it('makes only parsable http(s) addresses into links, without the sentence punctuation after them', () => {
    expect(splitLinks('Lees meer op https://www.rijswijk.nl/privacy. Stuur stop.')).toEqual([
      { kind: 'text', text: 'Lees meer op ' },
      { kind: 'link', text: 'https://www.rijswijk.nl/privacy', href: 'https://www.rijswijk.nl/privacy' },
      { kind: 'text', text: '. Stuur stop.' },
    ]);
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'ftp://x.nl/a',
      'http://',
      'geen link',
    ])
      expect(
        splitLinks(text).every((p) => p.kind === 'text'),
        text,
      ).toBe(true);
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('allows its own host and the listed origins only; frames only there', () => {
    const policy = new OriginPolicy(['https://www.rijswijk.nl'], 'https://chat.rijswijk.nl/');
    expect(policy.permits('https://www.rijswijk.nl', 'chat.rijswijk.nl')).toBe(true);
    expect(policy.permits('https://chat.rijswijk.nl', 'internal:3000')).toBe(true);
    expect(policy.permits('http://127.0.0.1:3000', '127.0.0.1:3000')).toBe(true);
    expect(policy.permits('https://www.rijswijk.nl.evil.example', 'chat.rijswijk.nl')).toBe(false);
    expect(policy.permits('null', 'chat.rijswijk.nl')).toBe(false);
    expect(policy.permits(undefined, 'chat.rijswijk.nl')).toBe(false);
    expect(policy.frameAncestors()).toBe("'self' https://www.rijswijk.nl https://chat.rijswijk.nl");
  });

  it('limits per key with a bucket that refills over the minute', () => {
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    now += 30_000;
    expect([limiter.take('a'), limiter.take('a')]).toEqual([true, false]);
  });

  it('reads only well-formed frames from a page', () => {
    expect(parseClientFrame({ type: 'send', id: 'abcdefgh', text: 'hoi', choiceId: 'district' })).toEqual({
      type: 'send',
      id: 'abcdefgh',
      text: 'hoi',
      choiceId: 'district',
    });
    for (const bad of [
      null,
      'x',
      { type: 'send', id: 'short', text: 'x' },
      { type: 'send', id: 'abcdefgh', text: 5 },
      { type: 'other', id: 'abcdefgh' },
    ])
      expect(parseClientFrame(bad)).toBeNull();
  });

  it('gives stored messages the keys live ones have, so a page shows each once', () => {
    const at = new Date(0);
    expect(
      toEntries([
        { side: 'in', id: 7, messageId: 'resident.abc12345', text: 'hallo', at },
        { side: 'out', id: 9, text: 'Welkom', choices: [{ id: 'x', label: 'X' }], at },
      ]),
    ).toEqual([
      { key: 'r:abc12345', from: 'resident', text: 'hallo' },
      { key: 's:9', from: 'service', text: 'Welkom', choices: [{ id: 'x', label: 'X' }] },
    ]);
  });

  it('picks the page language from ?lang=, then the browser, then the default', () => {
    expect(pickLanguage('en', 'nl-NL', 'nl')).toBe('en');
    expect(pickLanguage(undefined, 'de-DE, en;q=0.8', 'nl')).toBe('en');
    expect(pickLanguage('fr', 'fr-FR', 'nl')).toBe('nl');
  });

  it('makes the cookie secret once, keeps it private, and reads the same one at the next start', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'spreekuur-secret-')), 'sub', 'webchat-secret');
    const first = secretFromFile(undefined, file, 'WEBCHAT_COOKIE_SECRET');
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(secretFromFile(undefined, file, 'WEBCHAT_COOKIE_SECRET')).toBe(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(secretFromFile('x'.repeat(40), file, 'WEBCHAT_COOKIE_SECRET')).toBe('x'.repeat(40));
  });
});
