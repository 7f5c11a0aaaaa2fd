import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness } from '../support/flow-harness.js';

const HOUR = 3_600_000;

/** Codes as the staff feature checks them: only 246810 is valid, and only once. */
function world() {
  const used = new Set<string>();
  const h = flowHarness({
    services: {
      'staff.link': ({ code }, env) => {
        if (code !== '246810' || used.has(code)) throw new DomainError('link-invalid');
        used.add(code);
        // The real service stores the identity; the engine reads it on the next turn.
        h.chat(env.address).staff = { aldermanId: 'anna-de-vries' };
        return 'anna-de-vries';
      },
      'cases.assigned': () => [],
    },
  });
  const phone = h.chat('31612345678', { channel: 'whatsapp' });
  phone.send('hoi');
  return { h, phone };
}

describe('staff-link flow', () => {
  it('links this chat to the alderman the one-time code was made for', () => {
    const { h, phone } = world();
    const turn = phone.send('koppel 246810');
    expect(turn.calls).toEqual([
      { service: 'staff.link', args: { code: '246810' }, by: 'whatsapp:31612345678' },
    ]);
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('staff.link.done', { name: 'Anna de Vries' })]);
    expect(phone.staff).toEqual({ aldermanId: 'anna-de-vries' });
    // From the next turn on, the staff menu and words work.
    expect(phone.send('vragen').text).toContain(h.t('staff.cases.none'));
  });

  // Regression: the menu shown with the link's "Gelukt" was a resident's (who is staff is read as a
  // turn starts), without "Open vragen", and the alderman's first tap went to resident flows.
  it('offers the alderman their open questions and the menu with the link, not a resident menu', () => {
    const { h, phone } = world();
    const turn = phone.send('koppel 246810');
    expect(turn.choices.map((c) => [c.id, c.label])).toEqual([
      ['staff-cases', h.t('staff.menu.cases')],
      ['menu', h.t('core.back_to_menu')],
    ]);
    expect(phone.press('staff-cases').calls.map((c) => c.service)).toEqual(['cases.assigned']);
    const again = world();
    again.phone.send('koppel 246810');
    const menu = again.phone.press('menu');
    expect(menu.text).toBe(h.t('core.menu.prompt'));
    expect(menu.choices[0]?.id).toBe('staff-cases');
  });

  it('takes "link" and any letter case, from any step', () => {
    const { phone } = world();
    phone.send('wijkwethouder');
    expect(phone.send('Link 246810').calls.map((c) => c.service)).toEqual(['staff.link']);
  });

  it('refuses a wrong or used code and counts it', () => {
    const { h, phone } = world();
    phone.send('koppel 246810');
    const other = h.chat('31699999999', { channel: 'whatsapp' });
    other.send('hoi');
    const turn = other.send('koppel 246810');
    expect(turn.text).toBe(h.t('staff.link.invalid'));
    expect(other.state.profile.linkFailures).toBe(1);
    expect(other.staff).toBeUndefined();
    // The name someone gives is never a proof: only the code links.
    other.send('ik ben Anna de Vries');
    expect(other.send('vragen').calls.map((c) => c.service)).toEqual(['cases.mine']);
  });

  it('blocks tries for an hour after five wrong codes, without asking the service', () => {
    const { h, phone } = world();
    for (let i = 0; i < 4; i++) {
      h.advance(20_000);
      expect(phone.send(`koppel 00000${i}`).text).toBe(h.t('staff.link.invalid'));
    }
    h.advance(20_000);
    expect(phone.send('koppel 000009').text).toBe(h.t('staff.link.blocked'));
    h.advance(20_000);
    const blocked = phone.send('koppel 246810');
    expect(blocked.text).toBe(h.t('staff.link.blocked'));
    expect(blocked.calls).toEqual([]);
    h.advance(HOUR);
    expect(phone.send('koppel 246810').text).toContain(h.t('staff.link.done', { name: 'Anna de Vries' }));
    expect(phone.state.profile.linkFailures).toBe(0);
  });

  it('does not take a code of the wrong length', () => {
    const { h, phone } = world();
    const turn = phone.send('koppel 12345');
    expect(turn.calls).toEqual([]);
    expect(turn.text).toContain(h.t('core.menu.unknown'));
  });
});
