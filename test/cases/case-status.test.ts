import { describe, expect, it } from 'vitest';
import {
  CASE_STATUSES,
  canTransition,
  isOpen,
  isOverdue,
  transition,
  type CaseEventName,
} from '../../src/features/cases/case-status.js';
import { IllegalTransitionError } from '../../src/features/cases/errors.js';
import { DomainError } from '../../src/shared/errors.js';

const EVENTS: CaseEventName[] = ['route', 'reassign', 'start', 'answer', 'reopen', 'close'];

describe('transition', () => {
  it('follows the main path new → routed → in_progress → answered → closed', () => {
    let status = transition('new', 'route');
    expect(status).toBe('routed');
    status = transition(status, 'start');
    expect(status).toBe('in_progress');
    status = transition(status, 'answer');
    expect(status).toBe('answered');
    expect(transition(status, 'close')).toBe('closed');
  });

  it('reopens an answered case and goes round again', () => {
    const reopened = transition('answered', 'reopen');
    expect(reopened).toBe('reopened');
    expect(transition(reopened, 'start')).toBe('in_progress');
    expect(transition(reopened, 'answer')).toBe('answered');
    expect(transition('closed', 'reopen')).toBe('reopened');
  });

  it('lets an alderman answer a routed case straight from their chat', () => {
    expect(transition('routed', 'answer')).toBe('answered');
  });

  it.each([
    ['new', 'answer'],
    ['new', 'start'],
    ['new', 'reopen'],
    ['routed', 'route'],
    ['in_progress', 'start'],
    ['answered', 'answer'],
    ['answered', 'start'],
    ['closed', 'answer'],
    ['closed', 'close'],
    ['reopened', 'reopen'],
  ] as const)('refuses %s → %s with a named error', (from, event) => {
    const attempt = () => transition(from, event);
    expect(attempt).toThrow(IllegalTransitionError);
    try {
      attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({
        code: 'case.illegal_transition',
        from,
        event,
        name: 'IllegalTransitionError',
      });
    }
  });

  it('agrees with canTransition for every status and event', () => {
    for (const status of CASE_STATUSES) {
      for (const event of EVENTS) {
        if (canTransition(status, event)) expect(CASE_STATUSES).toContain(transition(status, event));
        else expect(() => transition(status, event)).toThrow(IllegalTransitionError);
      }
    }
  });

  it('counts only unanswered statuses as open', () => {
    expect(CASE_STATUSES.filter(isOpen)).toEqual(['new', 'routed', 'in_progress', 'reopened']);
  });
});

describe('isOverdue (the alderman’s chat list and the inbox’s overdue flag)', () => {
  const now = new Date('2026-12-01T09:00:00Z');
  const past = Date.parse('2026-11-10T16:00:00Z');
  it('is late when it owes a reaction past its answer-by moment', () => {
    expect(isOverdue({ kind: 'question', stage: null, status: 'routed', answerBy: past }, now)).toBe(true);
    expect(
      isOverdue({ kind: 'question', stage: null, status: 'routed', answerBy: now.getTime() + 1 }, now),
    ).toBe(false);
  });

  it('is never late while the resident is the one to act, once answered, or for a proposal after its first reaction', () => {
    expect(isOverdue({ kind: 'question', stage: null, status: 'waiting', answerBy: past }, now)).toBe(false);
    expect(isOverdue({ kind: 'question', stage: null, status: 'answered', answerBy: past }, now)).toBe(false);
    expect(
      isOverdue({ kind: 'proposal', stage: 'reviewing', status: 'in_progress', answerBy: past }, now),
    ).toBe(false);
    expect(
      isOverdue({ kind: 'proposal', stage: 'received', status: 'routed', answerBy: new Date(past) }, now),
    ).toBe(true);
  });
});
