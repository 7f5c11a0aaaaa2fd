import type { Assignee } from '../../ports/case-repository.js';
import { aldermanOf, departmentOf, type Role } from './roles.js';

/** What a role may do with one case: act on it, only read it, or not know it exists (a 404). */
export type CaseAccess = 'act' | 'read' | 'none';

/** What the policy needs to know about a case. */
export interface CaseScope {
  assignee: Assignee | null;
  districtId: string | null;
}

/**
 * The one rule for who sees which case. Admins and operators: every case. A department: the cases
 * assigned to it. An alderman: their own cases, and their districts' other cases read-only.
 * `districtsOf(aldermanId)` lists the districts an alderman holds (districts.json).
 */
export function caseAccess(
  role: Role,
  scope: CaseScope,
  districtsOf: (aldermanId: string) => readonly string[],
): CaseAccess {
  if (role === 'admin' || role === 'operator') return 'act';
  const department = departmentOf(role);
  if (department !== null)
    return scope.assignee?.type === 'department' && scope.assignee.id === department ? 'act' : 'none';
  const alderman = aldermanOf(role);
  if (alderman === null) return 'none';
  if (scope.assignee?.type === 'alderman' && scope.assignee.id === alderman) return 'act';
  if (scope.districtId !== null && districtsOf(alderman).includes(scope.districtId)) return 'read';
  return 'none';
}

/** Whether a role sees every conversation's transcript (operators and admins). */
export function canSeeConversations(role: Role): boolean {
  return role === 'admin' || role === 'operator';
}

/** Whether a role manages accounts and reads the audit log. */
export function isAdmin(role: Role): boolean {
  return role === 'admin';
}

/** Whether a role may see a resident's earlier cases (they may span departments and districts). */
export function canSeeResidentHistory(role: Role): boolean {
  return role === 'admin' || role === 'operator';
}
