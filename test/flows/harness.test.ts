import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness } from '../support/flow-harness.js';
import { caseOf } from './fixtures.js';

describe('the flow harness', () => {
  it('runs a turn as the engine does: first contact, then the menu, state kept as JSON', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    const turn = anna.send('hoi');
    expect(turn.replies.map((m) => m.text)).toEqual([
      h.t('core.welcome', { municipality: 'Rijswijk' }),
      h.t('core.privacy', {
        chatTerm: '90 dagen',
        caseTerm: '2 jaar',
        bookingTerm: '1 jaar',
        url: 'https://www.rijswijk.nl/privacy',
      }),
      h.t('core.menu.prompt'),
    ]);
    expect(anna.at).toBe('menu/main');
    expect(anna.state.greeted).toBe(true);
    expect(JSON.parse(JSON.stringify(anna.stored))).toEqual(anna.stored);
    expect(h.sent).toHaveLength(3);
  });

  it('calls a fake service with the typed arguments and the turn’s environment', () => {
    const h = flowHarness({ now: '2026-12-01T09:00:00Z' });
    const seen: unknown[] = [];
    h.serve('cases.mine', (args, env) => {
      seen.push({ args, now: env.now.toISOString(), address: env.address });
      return [];
    });
    const anna = h.chat('anna');
    anna.send('hoi');
    const turn = anna.send('mijn vragen');
    expect(turn.calls).toEqual([{ service: 'cases.mine', args: {}, by: 'console:anna' }]);
    expect(seen).toEqual([
      { args: {}, now: '2026-12-01T09:00:00.000Z', address: { channel: 'console', userId: 'anna' } },
    ]);
    expect(turn.text).toContain(h.t('status.none'));
  });

  it('waits for a service without a fake until the test resolves or refuses it', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    const waiting = anna.send('status RSW-2026-000042');
    expect(waiting.waiting).toEqual({
      service: 'cases.find',
      args: { reference: 'RSW-2026-000042' },
      by: 'console:anna',
    });
    expect(() => anna.send('menu')).toThrow(/still waits for "cases.find"/);
    expect(() => anna.resolve('cases.mine', [])).toThrow(/waits for "cases.find", not "cases.mine"/);
    const done = anna.refuse('cases.find', 'case.not_found');
    expect(done.waiting).toBeUndefined();
    expect(done.text).toContain(h.t('status.not_found', { example: 'RSW-2026-000042' }));
    h.advance(20_000); // the same text again within 15 s would be a double tap
    anna.send('status RSW-2026-000042');
    expect(anna.resolve('cases.find', caseOf()).text).toContain('RSW-2026-000042');
  });

  it('turns a DomainError from a fake into a refusal and lets any other error through', () => {
    const h = flowHarness({
      services: {
        'cases.find': () => {
          throw new DomainError('case.not_found');
        },
        'cases.mine': () => {
          throw new Error('database gone');
        },
      },
    });
    const anna = h.chat('anna');
    anna.send('hoi');
    expect(anna.send('status RSW-2026-000042').text).toContain(
      h.t('status.not_found', { example: 'RSW-2026-000042' }),
    );
    expect(() => anna.send('mijn vragen')).toThrow('database gone');
  });

  it('runs due conversation events on the manual clock, once per event id, and keeps other jobs', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('vraag');
    anna.send('De lantaarnpaal is kapot.');
    const pause = h.waitingJobs('conversation.event');
    expect(pause).toHaveLength(1);
    expect(pause[0]?.at).toBe(h.clock.now().getTime() + 2 * 60_000);
    expect(h.advance(60_000)).toEqual([]);
    const sent = h.advance(60_000);
    expect(sent.map((m) => m.text)).toContain(h.t('district.ask'));
    expect(pause[0]?.state).toBe('done');
    // The same event id again reaches the conversation no more.
    const again = anna.fire('ask.pause', { count: 1 }, 'once');
    expect(anna.fire('ask.pause', { count: 1 }, 'once').replies).toEqual([]);
    expect(again.replies).toEqual([]);
  });

  it('refuses a button that was not offered, naming what was', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    expect(() => anna.press('nonsense')).toThrow(/not among the choices offered \(district "Wie is/);
    expect(anna.press(/wijkwethouder/).text).toContain(h.t('district.ask'));
  });

  it('checks fakes against the real services when the tests are type-checked', () => {
    flowHarness({
      services: {
        // @ts-expect-error cases.mine resolves to CaseView[], not a number
        'cases.mine': () => 3,
        // @ts-expect-error cases.find takes { reference }, not { caseId }
        'cases.find': (args: { caseId: string }) => caseOf({ id: args.caseId }),
      },
    });
    const h = flowHarness();
    // @ts-expect-error no service has this name
    h.serve('cases.nothing', () => []);
    // @ts-expect-error a booking is not a case
    expect(() => h.chat('anna').resolve('cases.find', { id: 'b-1', reference: 'x' })).toThrow();
  });
});
