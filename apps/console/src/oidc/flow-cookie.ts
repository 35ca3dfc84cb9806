import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** The cookie that carries one sign-in from `GET /signin` to `GET /signin/callback`. */
export const FLOW_COOKIE = 'vaops_signin';
/** How long a sign-in at the provider may take. */
export const FLOW_SECONDS = 600;

/** What the callback checks the provider's answer against: it never leaves the browser unencrypted. */
export interface SignInFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Epoch milliseconds after which the callback refuses it. */
  expiresAt: number;
}

const AAD = Buffer.from(FLOW_COOKIE);

/**
 * Seals the sign-in's state, nonce and PKCE code_verifier into the cookie with AES-256-GCM (encrypted and
 * authenticated: the browser can neither read nor change it), under a key derived with HKDF from the
 * console's secret (VAOPS_JWT_SECRET), so every console instance behind a load balancer opens it.
 */
export class FlowSealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (!secret) throw new Error('the flow cookie needs a secret');
    this.key = Buffer.from(hkdfSync('sha256', secret, 'vaops-console', 'oidc sign-in flow cookie', 32));
  }

  seal(flow: SignInFlow): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(AAD);
    const body = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The flow, or null when the cookie was not sealed by this key, was changed, or has expired. */
  open(sealed: string | undefined, now = Date.now()): SignInFlow | null {
    if (!sealed || sealed.length > 4_000) return null;
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < 12 + 16 + 2) return null;
    let flow: unknown;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12)).setAAD(AAD);
      decipher.setAuthTag(raw.subarray(12, 28));
      flow = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
    } catch {
      return null;
    }
    const f = flow as Partial<SignInFlow> | null;
    if (!f || typeof f.state !== 'string' || typeof f.nonce !== 'string' || typeof f.codeVerifier !== 'string' || typeof f.expiresAt !== 'number') return null;
    return f.expiresAt > now ? (f as SignInFlow) : null;
  }
}

/** HttpOnly, SameSite=Lax (sent on the provider's top-level redirect back), only to /signin paths. */
export function flowCookie(value: string | null, secure: boolean): string {
  const attrs = ['Path=/signin', 'HttpOnly', 'SameSite=Lax', `Max-Age=${value ? FLOW_SECONDS : 0}`, ...(secure ? ['Secure'] : [])];
  return `${FLOW_COOKIE}=${value ?? ''}; ${attrs.join('; ')}`;
}
