import { describe, expect, it } from 'vitest';
import { caseAccess } from '../../src/features/accounts/policy.js';
import { allRoles, parseRole, type Role } from '../../src/features/accounts/roles.js';

const refs = { departmentIds: ['afval', 'kcc'], aldermanIds: ['fatma-yilmaz', 'pieter-jansen'] };
const districtsOf = (id: string) => (id === 'fatma-yilmaz' ? ['rijswijk-buiten'] : ['oud-rijswijk']);
const afvalCase = {
  assignee: { type: 'department' as const, id: 'afval', name: 'Team Afval' },
  districtId: 'oud-rijswijk',
};
const fatmaCase = {
  assignee: { type: 'alderman' as const, id: 'fatma-yilmaz' },
  districtId: 'rijswijk-buiten',
};
const buitenDepartmentCase = { ...afvalCase, districtId: 'rijswijk-buiten' };

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
  });
});

describe('who sees which case', () => {
  const access = (role: Role, scope: typeof afvalCase | typeof fatmaCase) =>
    caseAccess(role, scope, districtsOf);

  it('lets admins and operators act on every case', () => {
    for (const role of ['admin', 'operator'] as const)
      for (const scope of [afvalCase, fatmaCase]) expect(access(role, scope)).toBe('act');
  });

  it("gives a department only its own cases; another department's case does not exist for it", () => {
    expect(access('department:afval', afvalCase)).toBe('act');
    expect(access('department:kcc', afvalCase)).toBe('none');
    expect(access('department:afval', fatmaCase)).toBe('none');
    expect(caseAccess('department:afval', { assignee: null, districtId: null }, districtsOf)).toBe('none');
  });

  it("gives an alderman their own cases, their districts' other cases to read, and nothing else", () => {
    expect(access('alderman:fatma-yilmaz', fatmaCase)).toBe('act');
    expect(access('alderman:fatma-yilmaz', buitenDepartmentCase)).toBe('read');
    expect(access('alderman:fatma-yilmaz', afvalCase)).toBe('none');
    expect(access('alderman:pieter-jansen', fatmaCase)).toBe('none');
  });
});
