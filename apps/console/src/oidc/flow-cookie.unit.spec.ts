import { FLOW_COOKIE, FlowSealer, flowCookie, type SignInFlow } from './flow-cookie';

describe('the sign-in flow cookie', () => {
  const sealer = new FlowSealer('a-console-secret');
  const flow: SignInFlow = { state: 'state-1', nonce: 'nonce-1', codeVerifier: 'verifier-1', expiresAt: 1_000_000 };

  it('opens what it sealed, before it expires', () => {
    const sealed = sealer.seal(flow);
    expect(sealer.open(sealed, 999_999)).toEqual(flow);
    expect(sealer.open(sealed, 1_000_000)).toBeNull();
  });

  it('keeps state, nonce and code_verifier unreadable, and seals each time anew', () => {
    const sealed = sealer.seal(flow);
    const bytes = Buffer.from(sealed, 'base64url').toString('latin1');
    for (const secret of ['state-1', 'nonce-1', 'verifier-1']) expect(bytes).not.toContain(secret);
    expect(sealer.seal(flow)).not.toBe(sealed);
  });

  it('refuses a changed cookie, another key, and what is not a sealed flow at all', () => {
    const sealed = Buffer.from(sealer.seal(flow), 'base64url');
    for (const at of [0, 13, sealed.length - 1]) {
      const changed = Buffer.from(sealed);
      changed[at] ^= 1;
      expect(sealer.open(changed.toString('base64url'), 0)).toBeNull();
    }
    expect(new FlowSealer('another-secret').open(sealed.toString('base64url'), 0)).toBeNull();
    for (const junk of [undefined, '', 'abc', 'x'.repeat(5_000)]) expect(sealer.open(junk, 0)).toBeNull();
  });

  it('is HttpOnly, SameSite=Lax, for /signin only, ten minutes; Secure in production; cleared with Max-Age=0', () => {
    expect(flowCookie('v', false)).toBe(`${FLOW_COOKIE}=v; Path=/signin; HttpOnly; SameSite=Lax; Max-Age=600`);
    expect(flowCookie('v', true)).toBe(`${FLOW_COOKIE}=v; Path=/signin; HttpOnly; SameSite=Lax; Max-Age=600; Secure`);
    expect(flowCookie(null, false)).toBe(`${FLOW_COOKIE}=; Path=/signin; HttpOnly; SameSite=Lax; Max-Age=0`);
  });
});
