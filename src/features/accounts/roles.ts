import { routingDepartments } from '../../municipality/case-data.js';
import type { Municipality } from '../../municipality/municipality.js';

/**
 * What an account may do. `operator`: the contact centre and webcare (every case and conversation);
 * `department:<id>`: only that department's cases; `alderman:<id>`: their own cases, their districts'
 * cases read-only; `admin`: everything, and accounts and the audit log.
 */
export type Role = 'admin' | 'operator' | `department:${string}` | `alderman:${string}`;

/** The signed-in person, as the dashboard knows them (`request.staffAccount`). */
export interface StaffAccount {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** A department cases can be routed to (from routing.json). */
export interface Department {
  id: string;
  name: string;
}

/** Every department routing.json can assign a case to, once each. */
export function departmentsOf(municipality: Pick<Municipality, 'cases'>): Department[] {
  return routingDepartments(municipality.cases.routing);
}

/** The ids a role may name: the municipality's departments and aldermen. */
export interface RoleReferences {
  departmentIds: readonly string[];
  aldermanIds: readonly string[];
}

/** The references of a municipality. */
export function roleReferences(municipality: Pick<Municipality, 'cases' | 'aldermen'>): RoleReferences {
  return {
    departmentIds: departmentsOf(municipality).map((d) => d.id),
    aldermanIds: municipality.aldermen.map((a) => a.id),
  };
}

/** Reads a role as typed (`admin`, `operator`, `department:afval`, `alderman:fatma-yilmaz`); null when unknown. */
export function parseRole(text: string, refs: RoleReferences): Role | null {
  const value = text.trim();
  if (value === 'admin' || value === 'operator') return value;
  const [kind, id = ''] = value.split(':', 2);
  if (kind === 'department' && refs.departmentIds.includes(id)) return `department:${id}`;
  if (kind === 'alderman' && refs.aldermanIds.includes(id)) return `alderman:${id}`;
  return null;
}

/** Every role a municipality knows, for help texts and the users page. */
export function allRoles(refs: RoleReferences): Role[] {
  return [
    'admin',
    'operator',
    ...refs.departmentIds.map((id): Role => `department:${id}`),
    ...refs.aldermanIds.map((id): Role => `alderman:${id}`),
  ];
}

/** The department of a `department:<id>` role. */
export function departmentOf(role: Role): string | null {
  return role.startsWith('department:') ? role.slice('department:'.length) : null;
}

/** The alderman of an `alderman:<id>` role (the same person as the chat-linked alderman). */
export function aldermanOf(role: Role): string | null {
  return role.startsWith('alderman:') ? role.slice('alderman:'.length) : null;
}
