import type { Role } from './roles.js';

// Which cases a role sees and may change is the cases feature's rule: src/features/cases/policy.ts.

/** Whether a role sees every conversation's transcript (operators and admins). */
export function canSeeConversations(role: Role): boolean {
  return role === 'admin' || role === 'operator';
}

/** Whether a role manages accounts and reads the audit log. */
export function isAdmin(role: Role): boolean {
  return role === 'admin';
}
