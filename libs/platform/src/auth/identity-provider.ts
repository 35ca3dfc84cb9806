import { DomainError } from '@vaops/event-sourcing';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { OidcConfig } from '../config/config';
import { UnauthorizedError } from '../errors/problem';
import { ROLES, toPrincipal, type Principal, type Role } from './principal';
import { PlatformErrors } from '../errors/platform.errors';

/** The algorithms an identity provider may sign with (asymmetric only: its keys are public). */
export const PROVIDER_ALGORITHMS = ['RS256', 'ES256'] as const;

/** The provider's keys could not be fetched: not the caller's fault, so 503, and worth a retry. */
export class IdentityProviderUnavailableError extends DomainError {
  constructor(reason: string) {
    super(PlatformErrors.identityProviderUnavailable.code, PlatformErrors.identityProviderUnavailable.kind, `the identity provider's keys could not be read: ${reason}`);
    this.name = 'IdentityProviderUnavailableError';
  }
}

/** The algorithm a token's header names, or undefined when the header is unreadable. */
export function tokenAlgorithm(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
}

/**
 * Verifies tokens an agency's identity provider (Google Workspace, Entra ID, Okta, Auth0, Keycloak)
 * signs, with `jose`: the signature against the provider's JWKS (fetched when a token names a key not
 * seen yet, so a rotated key works without a restart), the issuer, the audience and the expiry; then
 * maps the provider's claims to a principal as configured (VAOPS_OIDC_*).
 */
export class IdentityProviderVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly config: OidcConfig) {
    this.keys = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: config.jwksCooldownMs, timeoutDuration: 5_000 });
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: [...PROVIDER_ALGORITHMS],
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 30,
      }));
    } catch (err) {
      throw this.refusal(err);
    }
    const principal = toPrincipal(this.claimsOf(payload));
    if (typeof principal === 'string') throw new UnauthorizedError(principal);
    return principal;
  }

  /** The provider's claims under our names: agencyId, role (through the role map), clientId, assistantId. */
  private claimsOf(payload: JWTPayload): Record<string, unknown> {
    const { claims, roles } = this.config;
    const raw = payload[claims.role];
    const candidates = (Array.isArray(raw) ? raw : [raw]).filter((r): r is string => typeof r === 'string');
    const role: Role | undefined = candidates.map((r) => roles[r] ?? ((ROLES as readonly string[]).includes(r) ? (r as Role) : undefined)).find((r) => r !== undefined);
    return {
      sub: payload.sub,
      agencyId: payload[claims.agency],
      role: role ?? (candidates.length > 0 ? `(${candidates.join(', ')})` : undefined),
      clientId: payload[claims.client],
      assistantId: payload[claims.assistant],
    };
  }

  private refusal(err: unknown): Error {
    if (err instanceof errors.JWTExpired) return new UnauthorizedError('token has expired');
    if (err instanceof errors.JWTClaimValidationFailed) return new UnauthorizedError(`token ${err.claim} is not accepted (${err.reason})`);
    if (err instanceof errors.JWKSNoMatchingKey) return new UnauthorizedError('token is signed by a key the identity provider does not publish');
    if (err instanceof errors.JOSEAlgNotAllowed) return new UnauthorizedError(`token algorithm must be one of ${PROVIDER_ALGORITHMS.join(', ')}`);
    if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return new IdentityProviderUnavailableError(err.message);
    if (err instanceof errors.JOSEError && /JSON Web Key Set HTTP response/.test(err.message)) return new IdentityProviderUnavailableError(err.message);
    if (err instanceof errors.JOSEError) return new UnauthorizedError('token is invalid');
    // fetch failed (connection refused, DNS): the provider, not the caller
    return new IdentityProviderUnavailableError(err instanceof Error ? err.message : String(err));
  }
}
