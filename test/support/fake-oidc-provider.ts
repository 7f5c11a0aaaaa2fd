import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';

/** Who the fake provider signs in at its next /authorize (there is no login form). */
export interface FakeUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  /** Any further claims, e.g. the role claim. */
  claims?: Record<string, unknown>;
}

/** A small OpenID Connect provider on loopback: discovery, /authorize, /token (RS256 ID tokens), /jwks. */
export interface FakeOidcProvider {
  /** http://127.0.0.1:<port>, also the issuer. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  user: FakeUser;
  /** Redirects back with a different `state` than was asked (an attacker's or a stale one). */
  tamperState: boolean;
  /** What the token endpoint was asked, to check PKCE and the client's secret were sent. */
  tokenRequests: Record<string, string>[];
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function jwt(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(payload));
  const signature = sign('sha256', Buffer.from(`${head}.${body}`), key);
  return `${head}.${body}.${b64url(signature)}`;
}

async function formOf(request: http.IncomingMessage): Promise<Record<string, string>> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return Object.fromEntries(new URLSearchParams(text));
}

export async function startFakeOidcProvider(): Promise<FakeOidcProvider> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(6).toString('hex');
  const codes = new Map<
    string,
    { clientId: string; redirectUri: string; challenge: string; nonce: string; user: FakeUser }
  >();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const provider: FakeOidcProvider = {
    issuer,
    clientId: 'spreekuur-test',
    clientSecret: randomBytes(16).toString('hex'),
    user: { sub: 'user-1' },
    tamperState: false,
    tokenRequests: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const json = (response: http.ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };

  server.on('request', (request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', issuer);
      if (url.pathname === '/.well-known/openid-configuration') {
        return json(response, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
          code_challenge_methods_supported: ['S256'],
          scopes_supported: ['openid', 'email', 'profile'],
        });
      }
      if (url.pathname === '/jwks') {
        return json(response, 200, {
          keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }],
        });
      }
      if (url.pathname === '/authorize') {
        const q = url.searchParams;
        const redirectUri = q.get('redirect_uri') ?? '';
        if (
          q.get('client_id') !== provider.clientId ||
          q.get('response_type') !== 'code' ||
          q.get('code_challenge_method') !== 'S256' ||
          !q.get('code_challenge') ||
          !q.get('nonce') ||
          !q.get('state') ||
          !(q.get('scope') ?? '').split(' ').includes('openid')
        ) {
          response.writeHead(400).end('bad authorization request');
          return;
        }
        const code = randomBytes(16).toString('hex');
        codes.set(code, {
          clientId: provider.clientId,
          redirectUri,
          challenge: q.get('code_challenge')!,
          nonce: q.get('nonce')!,
          user: provider.user,
        });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        back.searchParams.set('state', provider.tamperState ? 'not-the-state-you-sent' : q.get('state')!);
        response.writeHead(302, { location: back.href }).end();
        return;
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        const form = await formOf(request);
        provider.tokenRequests.push(form);
        let clientId = form.client_id;
        let secret = form.client_secret;
        const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
        if (basic) {
          const [id, pass] = Buffer.from(basic[1]!, 'base64').toString().split(':');
          clientId = decodeURIComponent(id ?? '');
          secret = decodeURIComponent(pass ?? '');
        }
        const grant = codes.get(form.code ?? '');
        codes.delete(form.code ?? '');
        const challenge = createHash('sha256')
          .update(form.code_verifier ?? '')
          .digest('base64url');
        if (
          !grant ||
          form.grant_type !== 'authorization_code' ||
          clientId !== provider.clientId ||
          secret !== provider.clientSecret ||
          form.redirect_uri !== grant.redirectUri ||
          challenge !== grant.challenge
        )
          return json(response, 400, { error: 'invalid_grant' });
        const now = Math.floor(Date.now() / 1000);
        const { claims, ...standard } = grant.user;
        const idToken = jwt(
          {
            iss: issuer,
            aud: provider.clientId,
            iat: now,
            exp: now + 300,
            nonce: grant.nonce,
            ...standard,
            ...claims,
          },
          privateKey,
          kid,
        );
        return json(response, 200, {
          access_token: randomBytes(16).toString('hex'),
          token_type: 'Bearer',
          expires_in: 300,
          id_token: idToken,
        });
      }
      response.writeHead(404).end();
    })();
  });
  return provider;
}
