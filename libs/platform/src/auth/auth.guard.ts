import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG } from '../tokens';
import type { AppConfig } from '../config/config';
import { ForbiddenRoleError, UnauthorizedError } from '../errors/problem';
import type { HttpRequest } from '../http/http-types';
import { ALLOWED_ROLES, IS_PUBLIC } from './decorators';
import { bearerToken, verifyToken } from './jwt';
import { IdentityProviderVerifier, PROVIDER_ALGORITHMS, tokenAlgorithm } from './identity-provider';
import type { Principal, Role } from './principal';

/**
 * Global: every HTTP route needs a valid bearer token unless it is @Public(); @Roles() narrows further.
 * HS256 tokens are checked against the service's secret (dev, CLI); RS256/ES256 tokens against the
 * agency's identity provider when VAOPS_OIDC_* is configured (IdentityProviderVerifier).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly provider: IdentityProviderVerifier | null;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.provider = config.oidc ? new IdentityProviderVerifier(config.oidc) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Kafka handlers in a hybrid app share global guards; they carry no bearer token.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<HttpRequest>();
    const principal = await this.verify(bearerToken(req.headers.authorization));
    req.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(principal.role)) throw new ForbiddenRoleError(principal.role);
    return true;
  }

  private async verify(token: string): Promise<Principal> {
    const alg = tokenAlgorithm(token);
    if (alg !== undefined && (PROVIDER_ALGORITHMS as readonly string[]).includes(alg)) {
      if (!this.provider) throw new UnauthorizedError(`token algorithm ${alg} needs an identity provider, and none is configured`);
      return this.provider.verify(token);
    }
    // everything else, "none" included, goes to the HS256 check, which pins its algorithm
    return verifyToken(this.config.jwtSecret, token);
  }
}
