import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG } from '../tokens';
import type { AppConfig } from '../config/config';
import { ForbiddenRoleError } from '../errors/problem';
import type { HttpRequest } from '../http/http-types';
import { ALLOWED_ROLES, IS_PUBLIC } from './decorators';
import { bearerToken, verifyToken } from './jwt';
import type { Role } from './principal';

/** Global: every HTTP route needs a valid bearer token unless it is @Public(); @Roles() narrows further. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // Kafka handlers in a hybrid app share global guards; they carry no bearer token.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<HttpRequest>();
    const principal = verifyToken(this.config.jwtSecret, bearerToken(req.headers.authorization));
    req.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(principal.role)) throw new ForbiddenRoleError(principal.role);
    return true;
  }
}
