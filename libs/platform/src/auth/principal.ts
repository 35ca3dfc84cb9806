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
