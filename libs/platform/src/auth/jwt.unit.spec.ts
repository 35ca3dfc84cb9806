import jwt from 'jsonwebtoken';
import { UnauthorizedError } from '../errors/problem';
import { bearerToken, mintToken, verifyToken } from './jwt';
import type { TokenClaims } from './principal';

const secret = 'unit-secret';
const assistant: TokenClaims = { sub: 'u1', agencyId: 'ag1', role: 'assistant', assistantId: 'as1' };

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof UnauthorizedError) return err.message;
    throw err;
  }
  throw new Error('expected an UnauthorizedError');
}

describe('mintToken / verifyToken', () => {
  it('round-trips the principal and nothing else', () => {
    const token = mintToken(secret, { ...assistant, extra: 'x' } as TokenClaims, { expiresIn: '1h' });
    expect(verifyToken(secret, token)).toEqual(assistant);
    expect(jwt.decode(token)).not.toHaveProperty('extra');
  });

  it('signs HS256 with the given expiry', () => {
    const decoded = jwt.decode(mintToken(secret, assistant, { expiresIn: 60 }), { complete: true });
    expect(decoded?.header.alg).toBe('HS256');
    const payload = decoded?.payload as jwt.JwtPayload;
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(60);
  });

  it('refuses to mint a client token without clientId', () => {
    expect(() => mintToken(secret, { sub: 's', agencyId: 'a', role: 'client' } as TokenClaims)).toThrow(/clientId/);
  });

  it('rejects another secret', () => {
    expect(rejection(() => verifyToken(secret, mintToken('other', assistant)))).toBe('token is invalid');
  });

  it('rejects an expired token', () => {
    const token = jwt.sign({ ...assistant, exp: Math.floor(Date.now() / 1000) - 10 }, secret);
    expect(rejection(() => verifyToken(secret, token))).toBe('token has expired');
  });

  it('rejects a token that never expires', () => {
    expect(rejection(() => verifyToken(secret, jwt.sign(assistant, secret)))).toBe('token has no expiry');
  });

  it('rejects alg none', () => {
    const token = jwt.sign({ ...assistant, exp: Math.floor(Date.now() / 1000) + 60 }, '', { algorithm: 'none' });
    expect(rejection(() => verifyToken(secret, token))).toBe('token is invalid');
  });

  it.each([
    [{ agencyId: 'a', role: 'agency-admin' }, 'token has no sub'],
    [{ sub: 's', role: 'agency-admin' }, 'token has no agencyId'],
    [{ sub: 's', agencyId: 'a', role: 'owner' }, 'token role must be one of agency-admin, assistant, client'],
    [{ sub: 's', agencyId: 'a', role: 'assistant' }, 'an assistant token needs assistantId'],
    [{ sub: 's', agencyId: 'a', role: 'client', clientId: '' }, 'a client token needs clientId'],
  ])('rejects claims %j', (claims, reason) => {
    const token = jwt.sign(claims, secret, { expiresIn: 60 });
    expect(rejection(() => verifyToken(secret, token))).toBe(reason);
  });
});

describe('bearerToken', () => {
  it('takes the token after Bearer', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc')).toBe('abc');
  });

  it.each([undefined, '', 'Basic dXNlcg==', 'Bearer', 'Bearer a b'])('rejects %p', (header) => {
    expect(() => bearerToken(header)).toThrow(UnauthorizedError);
  });
});
