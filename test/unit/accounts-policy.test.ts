import { describe, expect, it } from 'vitest';
import { canSeeConversations, isAdmin } from '../../src/features/accounts/policy.js';
import { aldermanOf, allRoles, departmentOf, parseRole } from '../../src/features/accounts/roles.js';

const refs = { departmentIds: ['afval', 'kcc'], aldermanIds: ['fatma-yilmaz', 'pieter-jansen'] };

describe('roles', () => {
  it('reads only the roles the municipality knows', () => {
    expect(parseRole('admin', refs)).toBe('admin');
    expect(parseRole(' operator ', refs)).toBe('operator');
    expect(parseRole('department:afval', refs)).toBe('department:afval');
    expect(parseRole('alderman:fatma-yilmaz', refs)).toBe('alderman:fatma-yilmaz');
    for (const wrong of [
      'Admin',
      'department:',
      'department:riolering',
      'alderman:nobody',
      'alderman',
      'root',
      '',
    ])
      expect(parseRole(wrong, refs), wrong).toBeNull();
    expect(allRoles(refs)).toHaveLength(6);
    expect(departmentOf('department:afval')).toBe('afval');
    expect(aldermanOf('alderman:fatma-yilmaz')).toBe('fatma-yilmaz');
    expect(departmentOf('operator')).toBeNull();
  });

  it('lets only admins manage accounts and read the audit log; conversations are for operators and admins', () => {
    expect(isAdmin('admin')).toBe(true);
    for (const role of ['operator', 'department:afval', 'alderman:fatma-yilmaz'] as const)
      expect(isAdmin(role)).toBe(false);
    expect(canSeeConversations('operator')).toBe(true);
    expect(canSeeConversations('department:afval')).toBe(false);
    expect(canSeeConversations('alderman:fatma-yilmaz')).toBe(false);
  });
});
