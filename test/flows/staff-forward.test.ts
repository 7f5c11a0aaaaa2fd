import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../src/features/cases/views.js';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness, type FakeServices } from '../support/flow-harness.js';
import { caseOf } from './fixtures.js';

const afval = { type: 'department' as const, id: 'afval', name: 'Team Afval en Reiniging' };

/** Anna de Vries, linked on Telegram, at the menu; the resident console:anna asked case c-1. */
function alderman(services: FakeServices = {}) {
  const h = flowHarness({
    services: {
      'cases.staff-forward': ({ reference }): CaseView => ({ ...caseOf({ reference }), assignee: afval }),
      ...services,
    },
  });
  const anna = h.chat('42', { channel: 'telegram', staff: { aldermanId: 'anna-de-vries' } });
  anna.send('hoi');
  return { h, anna };
}

describe('staff-forward flow (an alderman hands a question to a department from their own chat)', () => {
  it('"doorsturen <reference> naar <team>" hands it over and says to whom', () => {
    const { h, anna } = alderman();
    const turn = anna.send('doorsturen rsw 2026 42 naar afval');
    expect(turn.calls.map((c) => [c.service, c.args])).toEqual([
      ['cases.staff-forward', { reference: 'RSW-2026-000042', departmentId: 'afval' }],
    ]);
    expect(turn.text).toContain(
      h.t('staff.forward.done', { reference: 'RSW-2026-000042', team: 'Team Afval en Reiniging' }),
    );
    expect(anna.at).toBe('menu/main');
    // A typo in the word, the English word, the team by words of its name.
    for (const typed of ['doorstuen RSW-2026-000042 afval', 'forward RSW-2026-000042 to afval']) {
      expect(anna.send(typed).calls[0]?.args).toEqual({
        reference: 'RSW-2026-000042',
        departmentId: 'afval',
      });
    }
    expect(anna.send('doorsturen RSW-2026-000042 naar het klantcontactcentrum').calls[0]?.args).toEqual({
      reference: 'RSW-2026-000042',
      departmentId: 'kcc',
    });
  });

  it('lists the departments for a team it does not know, or for words that fit several', () => {
    const { h, anna } = alderman();
    const unknown = anna.send('doorsturen RSW-2026-000042 naar de brandweer');
    expect(unknown.calls).toEqual([]);
    expect(unknown.text).toContain(h.t('staff.forward.usage', { example: 'RSW-2026-000042' }));
    expect(unknown.text).toContain(
      h.t('staff.forward.team', { id: 'afval', name: 'Team Afval en Reiniging' }),
    );
    expect(unknown.text).toContain(h.t('staff.forward.team', { id: 'kcc', name: 'Klantcontactcentrum' }));
    const several = anna.send('doorsturen RSW-2026-000042 naar team');
    expect(several.calls).toEqual([]);
    expect(several.text).toContain(
      h.t('staff.forward.team', { id: 'afval', name: 'Team Afval en Reiniging' }),
    );
    expect(several.text).not.toContain('Klantcontactcentrum');
  });

  it('refuses another’s question, an answered one, and anyone not linked', () => {
    const refusing = (code: string) => () => {
      throw new DomainError(code);
    };
    let { h, anna } = alderman({ 'cases.staff-forward': refusing('staff.not_yours') });
    expect(anna.send('doorsturen RSW-2026-000077 naar afval').text).toContain(h.t('staff.cases.not_yours'));
    ({ h, anna } = alderman({ 'cases.staff-forward': refusing('case.already_answered') }));
    expect(anna.send('doorsturen RSW-2026-000042 naar afval').text).toContain(
      h.t('staff.forward.answered', { reference: 'RSW-2026-000042' }),
    );
    const bob = h.chat('bob');
    bob.send('hoi');
    const turn = bob.send('doorsturen RSW-2026-000042 naar afval');
    expect(turn.calls).toEqual([]);
    expect(turn.text).toContain(h.t('staff.only'));
  });
});
