export const ROLES = ['agency-admin', 'assistant', 'client'] as const;
export type Role = (typeof ROLES)[number];

interface PrincipalBase {
  /** Who the token was issued to (a user id). */
  sub: string;
  /** Every read and write is scoped to this agency. */
  agencyId: string;
}

/** The authenticated caller; the role decides which id it carries. */
export type Principal =
  | (PrincipalBase & { role: 'agency-admin' })
  | (PrincipalBase & { role: 'assistant'; assistantId: string })
  | (PrincipalBase & { role: 'client'; clientId: string });

/** The claims a token must carry; identical to a principal. */
export type TokenClaims = Principal;

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Checks decoded claims; returns the reason they are unusable, or the principal. */
export function toPrincipal(claims: unknown): Principal | string {
  if (typeof claims !== 'object' || claims === null) return 'token payload is not an object';
  const c = claims as Record<string, unknown>;
  if (!nonEmpty(c.sub)) return 'token has no sub';
  if (!nonEmpty(c.agencyId)) return 'token has no agencyId';
  const role = c.role;
  switch (role) {
    case 'agency-admin':
      return { sub: c.sub, agencyId: c.agencyId, role };
    case 'assistant':
      return nonEmpty(c.assistantId)
        ? { sub: c.sub, agencyId: c.agencyId, role, assistantId: c.assistantId }
        : 'an assistant token needs assistantId';
    case 'client':
      return nonEmpty(c.clientId)
        ? { sub: c.sub, agencyId: c.agencyId, role, clientId: c.clientId }
        : 'a client token needs clientId';
    default:
      return `token role must be one of ${ROLES.join(', ')}`;
  }
}

/** Which parties of the caller's agency a list shows: an assistant's, a client's, or both. */
export interface PartyScope {
  agencyId: string;
  assistantId?: string;
  clientId?: string;
}

/**
 * The parties a list asked for with `assistantId` and `clientId` narrowed to what the caller may see: an
 * assistant sees only their own, a client only its own. Null when the query names another assistant or
 * client than the caller (an empty list, not a 403: what the caller may not see does not exist for it).
 */
export function partyScope(query: { assistantId?: string; clientId?: string }, p: Principal): PartyScope | null {
  const scope: PartyScope = { agencyId: p.agencyId };
  if (query.assistantId) scope.assistantId = query.assistantId;
  if (query.clientId) scope.clientId = query.clientId;
  if (p.role === 'assistant') {
    if (query.assistantId && query.assistantId !== p.assistantId) return null;
    scope.assistantId = p.assistantId;
  }
  if (p.role === 'client') {
    if (query.clientId && query.clientId !== p.clientId) return null;
    scope.clientId = p.clientId;
  }
  return scope;
}

/** Whether the caller may see something of two parties of its agency (an engagement, an appointment): the agency, the assistant, or the client. */
export const mayViewParties = (parties: { assistantId: string; clientId: string }, p: Principal): boolean =>
  p.role === 'agency-admin' || (p.role === 'assistant' && parties.assistantId === p.assistantId) || (p.role === 'client' && parties.clientId === p.clientId);
