import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Role, StaffAccount } from '../../features/accounts/roles.js';
import { safeNext, sessionToken } from './session.js';

/**
 * Sends a request without a signed-in account to the sign-in page (and back afterwards). A form
 * posted after the session ended goes back to the page the form was on (its own URL is no page),
 * and the sign-in page says the session ended and, for a form, that it was not saved.
 */
export const requireSignIn: preHandlerAsyncHookHandler = async (request, reply) => {
  if (request.staffAccount) return;
  const read = request.method === 'GET' || request.method === 'HEAD';
  const query = new URLSearchParams({ next: read ? request.url : pageOfForm(request) });
  // A cookie that still carries a token belongs to a session the server ended (idle, or the account changed).
  if (sessionToken(request) !== null) query.set('done', read ? 'expired' : 'expired-unsent');
  await reply.redirect(`/dashboard/sign-in?${query.toString()}`, 303);
};

/**
 * The page a form belongs to: the route's own address when it is also a page, else the nearest
 * parent that is one (`/cases/<reference>/answer` is on `/cases/<reference>`), else the overview.
 * (Pages send no Referer: the dashboard's Referrer-Policy is no-referrer.)
 */
function pageOfForm(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  if (!pattern) return '/dashboard';
  const patternParts = pattern.split('/');
  const pathParts = (request.url.split('?')[0] ?? '').split('/');
  if (patternParts.length !== pathParts.length) return '/dashboard';
  for (let n = patternParts.length; n > 2; n--) {
    if (request.server.hasRoute({ method: 'GET', url: patternParts.slice(0, n).join('/') }))
      return safeNext(pathParts.slice(0, n).join('/'));
  }
  return '/dashboard';
}

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
