import { describe, expect, it } from 'vitest';
import { userIdOf } from '../../bots/whatsapp-cloud/inbound.js';
import { lacksCountryCode, typedAddress } from '../../src/shared/address.js';

/**
 * Regression: docs/privacy.md said `privacy erase whatsapp:31612345678` and the privacy page asked for
 * the WhatsApp number, but both WhatsApp channels store a resident as `31612345678@c.us`: the export
 * came back empty and the erasure erased nothing (and logged it as done). The command line's reading:
 * test/cli/subject.test.ts.
 */
describe('a chat identity as staff type it', () => {
  it('a WhatsApp number with its country code, however typed, is the id the WhatsApp channels give', () => {
    const id = userIdOf('31612345678');
    for (const typed of [
      '31612345678',
      '+31612345678',
      '+31 6 1234 5678',
      ' 31-6-12345678 ',
      '0031 6 12345678',
    ])
      expect(typedAddress('whatsapp', typed), typed).toEqual({ channel: 'whatsapp', userId: id });
    expect(id).toBe('31612345678@c.us');
  });

  it('regression: a number typed the national way (06…) became the id 0612345678@c.us, which nobody has', () => {
    for (const typed of ['0612345678', '06 12345678', '06-12345678', ' 070 1234567'])
      expect(lacksCountryCode('whatsapp', typed), typed).toBe(true);
    for (const typed of ['31612345678', '+31612345678', '0031612345678', '31612345678@c.us'])
      expect(lacksCountryCode('whatsapp', typed), typed).toBe(false);
    expect(lacksCountryCode('telegram', '0612345678')).toBe(false);
  });

  it('takes a full WhatsApp id, a linked id and other channels as they are', () => {
    for (const [channel, typed] of [
      ['whatsapp', '31612345678@c.us'],
      ['whatsapp', '123456789012345@lid'],
      ['whatsapp', '12345'],
      ['telegram', '123456789'],
      ['console', 'anna'],
    ] as const)
      expect(typedAddress(channel, typed)).toEqual({ channel, userId: typed });
  });
});
