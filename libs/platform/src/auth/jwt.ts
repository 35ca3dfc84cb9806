import jwt from 'jsonwebtoken';
import { UnauthorizedError } from '../errors/problem';
import { type Principal, type TokenClaims, toPrincipal } from './principal';

const ALGORITHM = 'HS256';

export interface MintOptions {
  /** Seconds, or a span like `15m`, `12h`, `7d`. */
  expiresIn: jwt.SignOptions['expiresIn'];
}

/** Signs an HS256 token. Only the claims a principal has are written, nothing else leaks in. */
export function mintToken(secret: string, claims: TokenClaims, options: MintOptions = { expiresIn: '1h' }): string {
  const principal = toPrincipal(claims);
  if (typeof principal === 'string') throw new TypeError(principal);
  return jwt.sign({ ...principal }, secret, { algorithm: ALGORITHM, expiresIn: options.expiresIn });
}

/** Verifies signature, algorithm and expiry, then the claims. Throws UnauthorizedError. */
export function verifyToken(secret: string, token: string): Principal {
  let payload: string | jwt.JwtPayload;
  try {
    // Pinning the algorithm stops "alg: none" and key-confusion tokens.
    payload = jwt.verify(token, secret, { algorithms: [ALGORITHM] });
  } catch (err) {
    throw new UnauthorizedError(
      err instanceof jwt.TokenExpiredError ? 'token has expired' : 'token is invalid',
    );
  }
  // A token without expiry would be valid forever.
  if (typeof payload === 'string' || typeof payload.exp !== 'number') {
    throw new UnauthorizedError('token has no expiry');
  }
  const principal = toPrincipal(payload);
  if (typeof principal === 'string') throw new UnauthorizedError(principal);
  return principal;
}

/** `Bearer <token>` → token; anything else → UnauthorizedError. */
export function bearerToken(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) throw new UnauthorizedError('missing Authorization: Bearer token');
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  if (!match) throw new UnauthorizedError('Authorization must be "Bearer <token>"');
  return match[1];
}
