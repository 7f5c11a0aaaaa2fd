import type { ConversationRecord, ConversationScope } from '../../ports/conversation-search.js';
import type { Role } from '../accounts/roles.js';

/** The conversations a role may read (the search applies the same rule in SQL). */
export function conversationScope(role: Role): ConversationScope {
  if (role === 'admin' || role === 'operator') return { kind: 'all' };
  if (role.startsWith('department:')) return { kind: 'department', id: role.slice('department:'.length) };
  return { kind: 'alderman', id: role.slice('alderman:'.length) };
}

/**
 * Whether a conversation lies in a scope: an alderman's own chat with the service, or one with a
 * booking with them or a case assigned to them; a department's when a case of it came from there.
 */
export function mayRead(
  scope: ConversationScope,
  record: Pick<ConversationRecord, 'aldermanId' | 'cases' | 'bookings'>,
): boolean {
  if (scope.kind === 'all') return true;
  const caseOf = (type: string) =>
    record.cases.some((c) => c.assignee?.type === type && c.assignee.id === scope.id);
  if (scope.kind === 'department') return caseOf('department');
  return (
    record.aldermanId === scope.id ||
    record.bookings.some((b) => b.aldermanId === scope.id) ||
    caseOf('alderman')
  );
}
