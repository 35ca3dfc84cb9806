import { SignJWT, generateKeyPair } from 'jose';
import { mintToken, type Principal } from '@vaops/platform';
import { loadConsoleConfig } from './config';
import { forgetVerified, isProviderToken, rememberVerified, sessionOf } from './session';

describe('sessionOf', () => {
  const config = loadConsoleConfig({});
  const ada: Principal = { sub: 'ada', agencyId: 'agency-1', role: 'agency-admin' };
  const cookie = (token: string) => `other=1; vaops_session=${encodeURIComponent(token)}`;
  const providerToken = async () => {
    const { privateKey } = await generateKeyPair('RS256');
    return new SignJWT({ vaops_agency: 'agency-1', vaops_role: 'agency-admin' }).setProtectedHeader({ alg: 'RS256' }).setSubject('ada').setExpirationTime('5m').sign(privateKey);
  };

  it("takes the console's own HS256 token (demo sign-in) as it checks it itself", () => {
    const token = mintToken(config.jwtSecret, ada, { expiresIn: 60 });
    expect(isProviderToken(token)).toBe(false);
    expect(sessionOf(config, cookie(token))).toEqual({ principal: ada, token });
    expect(sessionOf(config, cookie(mintToken('another-secret', ada, { expiresIn: 60 })))).toBeNull();
  });

  it("takes a provider's token only as the middleware verified it, and only until it expires", async () => {
    const token = await providerToken();
    expect(isProviderToken(token)).toBe(true);
    expect(sessionOf(config, cookie(token))).toBeNull(); // not verified: however it looks, no session
    rememberVerified(token, ada, Date.now() + 60_000);
    expect(sessionOf(config, cookie(token))).toEqual({ principal: ada, token });
    forgetVerified(token);
    expect(sessionOf(config, cookie(token))).toBeNull();
    rememberVerified(token, ada, Date.now() - 1);
    expect(sessionOf(config, cookie(token))).toBeNull();
  });
});
