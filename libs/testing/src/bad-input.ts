/**
 * Requests no service may answer with a 500: each is sent to a running service (a write route of its
 * own) and must come back as problem+json with the status and code named here (issue 12, part 2).
 */
export interface BadInputCase {
  name: string;
  status: number;
  code: string;
  send(baseUrl: string, path: string, token: string): Promise<Response>;
}

const post = (baseUrl: string, path: string, token: string, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  fetch(`${baseUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, ...headers }, body });

export const BAD_INPUT_CASES: readonly BadInputCase[] = [
  {
    name: 'a 2 MB JSON body',
    status: 413,
    code: 'REQUEST.BODY_TOO_LARGE',
    send: (url, path, token) => post(url, path, token, JSON.stringify({ note: 'x'.repeat(2_000_000) })),
  },
  {
    name: 'a JSON body nested 20,000 levels deep',
    status: 400,
    code: 'REQUEST.TOO_DEEP',
    send: (url, path, token) => post(url, path, token, `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`),
  },
  {
    name: 'malformed JSON',
    status: 400,
    code: 'REQUEST.MALFORMED_JSON',
    send: (url, path, token) => post(url, path, token, '{"clientId": '),
  },
  {
    name: 'a text/plain body',
    status: 415,
    code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    send: (url, path, token) => post(url, path, token, 'clientId=1', { 'Content-Type': 'text/plain' }),
  },
  {
    name: 'a form body',
    status: 415,
    code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    send: (url, path, token) => post(url, path, token, 'clientId=1', { 'Content-Type': 'application/x-www-form-urlencoded' }),
  },
  {
    name: 'a body in an unknown Content-Encoding',
    status: 415,
    code: 'REQUEST.UNSUPPORTED_ENCODING',
    send: (url, path, token) => post(url, path, token, '{}', { 'Content-Type': 'application/json', 'Content-Encoding': 'compress-9' }),
  },
  {
    name: 'a query string of 20 kB',
    status: 431,
    code: 'REQUEST.HEADERS_TOO_LARGE',
    send: (url, path, token) => fetch(`${url}${path}?q=${'x'.repeat(20_000)}`, { headers: { Authorization: `Bearer ${token}` } }),
  },
  {
    name: 'a header of 20 kB',
    status: 431,
    code: 'REQUEST.HEADERS_TOO_LARGE',
    send: (url, path, token) => fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}`, 'X-Padding': 'x'.repeat(20_000) } }),
  },
];

/** Sends one case; resolves to what came back (status, content type, code) for one `toEqual`. */
export async function answerTo(c: BadInputCase, baseUrl: string, path: string, token: string): Promise<{ status: number; contentType: string | null; code: unknown }> {
  const res = await c.send(baseUrl, path, token);
  const text = await res.text();
  let code: unknown;
  try {
    code = (JSON.parse(text) as { code?: unknown }).code;
  } catch {
    code = `(not JSON: ${text.slice(0, 80)})`;
  }
  return { status: res.status, contentType: res.headers.get('content-type'), code };
}

/** What every case must come back as. */
export const refusedAs = (c: BadInputCase) => ({ status: c.status, contentType: 'application/problem+json; charset=utf-8', code: c.code });

/** The security headers helmet sets, as read from one answer of a running service. */
export async function securityHeadersOf(baseUrl: string, path: string, token: string): Promise<Record<string, string | boolean | null>> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  await res.text();
  return {
    'x-content-type-options': res.headers.get('x-content-type-options'),
    'x-frame-options': res.headers.get('x-frame-options'),
    'strict-transport-security': res.headers.get('strict-transport-security')?.startsWith('max-age=') ?? false,
    'content-security-policy': res.headers.get('content-security-policy')?.includes("script-src 'self'") ?? false,
    'x-powered-by': res.headers.get('x-powered-by'),
  };
}

export const HELMET_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'strict-transport-security': true,
  'content-security-policy': true,
  'x-powered-by': null,
};

/**
 * Declares, in a service's e2e spec, one test per bad-input case and one for the security headers,
 * against a write route of that service (`url` and `token` are read when the tests run).
 */
export function describeInputHardening(url: () => string, path: string, token: () => string): void {
  describe('input it cannot read is never a 500, and security headers', () => {
    it.each(BAD_INPUT_CASES)('answers $status $code to $name', async (c) => {
      expect(await answerTo(c, url(), path, token())).toEqual(refusedAs(c));
    });

    it('sends helmet security headers', async () => {
      expect(await securityHeadersOf(url(), path, token())).toEqual(HELMET_HEADERS);
    });
  });
}
