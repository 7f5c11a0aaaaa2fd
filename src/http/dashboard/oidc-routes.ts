import * as oidc from 'openid-client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translator, type TextKey } from '../../i18n/translator.js';
import { safeNext, setSessionCookie } from './session.js';
import type { DashboardDeps, OidcSettings } from './types.js';

/** The flow's state, nonce and PKCE verifier wait in a signed cookie for ten minutes. */
const FLOW_COOKIE = 'spreekuur_oidc';
const FLOW_COOKIE_OPTIONS = {
  path: '/dashboard/oidc',
  httpOnly: true,
  // Lax: the provider's redirect back is a top-level navigation, so the cookie comes along.
  sameSite: 'lax',
  secure: 'auto',
  signed: true,
} as const;
const FLOW_SECONDS = 600;
const CALLBACK_PATH = '/dashboard/oidc/callback';

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  at: number;
}

function readFlow(request: FastifyRequest): Flow | null {
  const raw = request.cookies[FLOW_COOKIE];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    const flow = JSON.parse(unsigned.value) as Partial<Flow>;
    if (
      typeof flow.state !== 'string' ||
      typeof flow.nonce !== 'string' ||
      typeof flow.verifier !== 'string' ||
      typeof flow.at !== 'number' ||
      Date.now() - flow.at > FLOW_SECONDS * 1000
    )
      return null;
    return {
      state: flow.state,
      nonce: flow.nonce,
      verifier: flow.verifier,
      next: safeNext(flow.next),
      at: flow.at,
    };
  } catch {
    return null;
  }
}

/** The claim's values: a string, or the strings of a list. */
export function claimValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * `POST /dashboard/oidc/start` (the button on the sign-in page) and `GET /dashboard/oidc/callback`:
 * the authorization code flow with PKCE, state and nonce. A verified ID token's e-mail and role
 * claim go to the accounts feature, which signs in, creates or refuses (and audits either way).
 */
export function mountOidcRoutes(scope: FastifyInstance, deps: DashboardDeps, settings: OidcSettings): void {
  let discovered: Promise<oidc.Configuration> | null = null;
  const configuration = (): Promise<oidc.Configuration> => {
    discovered ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        settings.clientSecret,
        undefined,
        // Plain http is only accepted for a loopback issuer (checked in the configuration).
        new URL(settings.issuer).protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = null;
        throw error;
      });
    return discovered;
  };
  const redirectUri = (request: FastifyRequest) =>
    settings.redirectUri ?? `${request.protocol}://${request.host}${CALLBACK_PATH}`;

  const refuse = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    text: TextKey,
    reason: string,
  ) => {
    await request.audit('auth.oidc-failed', `oidc:${settings.issuer}`, { reason, address: request.ip });
    return refusalPage(reply, deps, status, text);
  };

  scope.post(
    '/oidc/start',
    { config: { rateLimit: { max: 30, timeWindow: 60_000 } } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string | undefined>;
      let config: oidc.Configuration;
      try {
        config = await configuration();
      } catch (error) {
        request.log.warn({ err: error }, 'OpenID Connect provider unreachable');
        return refuse(request, reply, 502, 'dashboard.oidc.unavailable', 'discovery-failed');
      }
      const verifier = oidc.randomPKCECodeVerifier();
      const flow: Flow = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        verifier,
        next: safeNext(body.next),
        at: Date.now(),
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri(request),
        scope: 'openid email profile',
        response_type: 'code',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      reply.setCookie(FLOW_COOKIE, JSON.stringify(flow), { ...FLOW_COOKIE_OPTIONS, maxAge: FLOW_SECONDS });
      return reply.redirect(url.href, 303);
    },
  );

  scope.get('/oidc/callback', async (request, reply) => {
    const flow = readFlow(request);
    reply.clearCookie(FLOW_COOKIE, FLOW_COOKIE_OPTIONS);
    if (!flow) return refuse(request, reply, 400, 'dashboard.oidc.failed', 'no-flow');
    const query = request.query as Record<string, unknown>;
    if (typeof query.error === 'string')
      return refuse(request, reply, 400, 'dashboard.oidc.failed', `provider:${query.error.slice(0, 100)}`);
    let claims: oidc.IDToken | undefined;
    try {
      const config = await configuration();
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const tokens = await oidc.authorizationCodeGrant(config, new URL(redirectUri(request) + search), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const reason = typeof code === 'string' ? code : error instanceof Error ? error.message : 'failed';
      request.log.warn({ err: error }, 'OpenID Connect sign-in failed');
      return refuse(request, reply, 400, 'dashboard.oidc.failed', reason.slice(0, 200));
    }
    if (!claims) return refuse(request, reply, 400, 'dashboard.oidc.failed', 'no-id-token');
    const values = claimValues(claims[settings.roleClaim]);
    const email = typeof claims.email === 'string' && claims.email_verified !== false ? claims.email : null;
    const result = await deps.accounts.signInWithProvider({
      issuer: claims.iss,
      subject: claims.sub,
      email,
      name: typeof claims.name === 'string' ? claims.name : null,
      role: settings.roleFor(values),
      claim: values,
      address: request.ip,
    });
    if (!result.ok) {
      const text: TextKey =
        result.reason === 'no-role'
          ? 'dashboard.oidc.no_role'
          : result.reason === 'no-email'
            ? 'dashboard.oidc.no_email'
            : 'dashboard.oidc.disabled';
      return refusalPage(reply, deps, 403, text);
    }
    setSessionCookie(reply, result.token);
    return reply.redirect(flow.next, 303);
  });
}

function refusalPage(reply: FastifyReply, deps: DashboardDeps, status: number, text: TextKey) {
  const t = translator(deps.texts, reply.request.dashboardLang) as (key: TextKey) => string;
  return reply
    .code(status)
    .page('oidc-refused', { title: t('dashboard.oidc.refused_title'), message: t(text) });
}
