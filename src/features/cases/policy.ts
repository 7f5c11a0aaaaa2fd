import type { Assignee, Case, CaseScope } from '../../ports/case-repository.js';

/** A staff account's role, as the dashboard's accounts hold it. */
export type StaffRole = 'admin' | 'operator' | `department:${string}` | `alderman:${string}`;

/** Who is looking at or acting on a case: a signed-in staff account. */
export interface CaseViewer {
  id: string;
  name: string;
  role: StaffRole;
}

/** What staff can do with a case. `view` is reading it; every other action changes it. */
export type CaseAction =
  'view' | 'assign' | 'note' | 'answer' | 'request-info' | 'move-date' | 'stage' | 'close';

/** Where an action may send a case: a team, or a person (a staff account, with their role). */
export type AssignTarget = Assignee | { type: 'person'; id: string; name: string; role: StaffRole };

/** What the policy needs of a district. */
export interface DistrictOwner {
  id: string;
  aldermanId: string;
}

/**
 * The cases a role may see: admins every case; operators every case but residents' privacy
 * requests (those are for the privacy team); a department the cases assigned to it; an alderman
 * their own cases and (read-only) every case in their districts.
 */
export function scopeOf(role: StaffRole, districts: readonly DistrictOwner[]): CaseScope {
  if (role === 'admin') return { kind: 'all' };
  if (role === 'operator') return { kind: 'all', exceptKinds: ['privacy'] };
  if (role.startsWith('department:')) return { kind: 'department', id: role.slice('department:'.length) };
  const id = role.slice('alderman:'.length);
  const districtIds = districts.filter((d) => d.aldermanId === id).map((d) => d.id);
  return { kind: 'alderman', id, districtIds };
}

/** Whether a case lies in a scope: the same rule the inbox query applies in SQL. */
export function inScope(
  c: Pick<Case, 'assignee' | 'districtId'> & Partial<Pick<Case, 'kind'>>,
  scope: CaseScope,
): boolean {
  if (scope.kind === 'all') return !scope.exceptKinds?.includes(c.kind ?? 'question');
  if (scope.kind === 'department') return c.assignee?.type === 'department' && c.assignee.id === scope.id;
  if (c.assignee?.type === 'alderman' && c.assignee.id === scope.id) return true;
  return c.districtId !== null && scope.districtIds.includes(c.districtId);
}

/** Whether the case is the viewer's to work on (not just to read). */
function owns(viewer: CaseViewer, c: Pick<Case, 'assignee'> & Partial<Pick<Case, 'kind'>>): boolean {
  const { role } = viewer;
  if (role === 'admin') return true;
  if (role === 'operator') return c.kind !== 'privacy';
  if (role.startsWith('department:'))
    return c.assignee?.type === 'department' && `department:${c.assignee.id}` === role;
  return c.assignee?.type === 'alderman' && `alderman:${c.assignee.id}` === role;
}

/**
 * Whether `viewer` may do `action` on the case. Reading follows the scope; every change needs the
 * case to be theirs (an alderman reads their districts' other cases but cannot change them).
 */
export function mayAct(
  viewer: CaseViewer,
  action: CaseAction,
  c: Pick<Case, 'assignee' | 'districtId'> & Partial<Pick<Case, 'kind'>>,
  districts: readonly DistrictOwner[],
): boolean {
  if (action === 'view') return inScope(c, scopeOf(viewer.role, districts));
  return owns(viewer, c);
}

/**
 * Whether `viewer` may give the case to `target`. Teams: anyone who may assign. A person: only one
 * who could then see the case, so a case never lands with someone who cannot open it.
 */
export function mayAssignTo(
  viewer: CaseViewer,
  c: Pick<Case, 'assignee' | 'districtId'> & Partial<Pick<Case, 'kind'>>,
  target: AssignTarget,
  districts: readonly DistrictOwner[],
): boolean {
  if (!mayAct(viewer, 'assign', c, districts)) return false;
  if (target.type !== 'person') return true;
  return inScope(c, scopeOf(target.role, districts));
}
