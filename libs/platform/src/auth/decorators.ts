import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { UnauthorizedError } from '../errors/problem';
import type { HttpRequest } from '../http/http-types';
import type { Principal, Role } from './principal';

export const IS_PUBLIC = 'vaops:public';
export const ALLOWED_ROLES = 'vaops:roles';

/** Opts a route (or a whole controller) out of authentication. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route; the handler's list overrides the controller's. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ALLOWED_ROLES, roles);

/** The caller, as the global guard verified it. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<HttpRequest>().principal;
  // Only reachable on a @Public() route, where asking for the caller is a mistake.
  if (!principal) throw new UnauthorizedError();
  return principal;
});
