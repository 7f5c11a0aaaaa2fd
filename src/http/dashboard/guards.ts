import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Role, StaffAccount } from '../../features/accounts/roles.js';

/** Sends a request without a signed-in account to the sign-in page (and back afterwards). */
export const requireSignIn: preHandlerAsyncHookHandler = async (request, reply) => {
  if (request.staffAccount) return;
  await reply.redirect(`/dashboard/sign-in?next=${encodeURIComponent(request.url)}`, 303);
};

/** A role, or a kind of role: `department` for every `department:<id>`, `alderman` likewise. */
export type RoleMatch = Role | 'department' | 'alderman';

/** Whether a role is one of `roles`. */
export function roleMatches(role: Role, roles: readonly RoleMatch[]): boolean {
  return roles.some((wanted) => role === wanted || role.startsWith(`${wanted}:`));
}

/**
 * A preHandler that lets only the given roles through; others get the 403 page.
 * `{ preHandler: requireRole('admin') }`, `requireRole('operator', 'department')`.
 */
export function requireRole(...roles: RoleMatch[]): preHandlerAsyncHookHandler {
  return async function (request, reply) {
    const account = request.staffAccount;
    if (!account) {
      await requireSignIn.call(this, request, reply);
      return;
    }
    if (roleMatches(account.role, roles)) return;
    await reply.message(403, 'dashboard.error.forbidden_title', 'dashboard.error.forbidden');
  };
}

/** The signed-in account of a request in the signed-in scope (the scope's hook guarantees one). */
export function staffOf(request: FastifyRequest): StaffAccount {
  if (!request.staffAccount)
    throw new Error('No signed-in account: this route is outside the signed-in scope');
  return request.staffAccount;
}
