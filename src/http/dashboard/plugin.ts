import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fastifyCookie } from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translator, type Language, type TextKey } from '../../i18n/translator.js';
import { auditHref, mayReadAudit, mountAuditRoutes } from './audit-routes.js';
import { mountAuthRoutes } from './auth-routes.js';
import { endStreamsOnClose } from './live-events.js';
import { mountOidcRoutes } from './oidc-routes.js';
import { requireSignIn } from './guards.js';
import { languageOf, sessionToken } from './session.js';
import type { DashboardDeps, NavItem, PageContext } from './types.js';

const VIEWS = fileURLToPath(new URL('./views', import.meta.url));
const STYLES = readFileSync(fileURLToPath(new URL('./public/dashboard.css', import.meta.url)), 'utf8');
const SCRIPT = readFileSync(fileURLToPath(new URL('./public/dashboard.js', import.meta.url)), 'utf8');
/** The templates, for a part of a page a live stream sends (outside a reply, so without the layout). */
const PARTS = new Eta({ views: VIEWS, autoEscape: true, cache: true });

/**
 * Renders a part of a page (`views/<name>.eta`) as the page itself does, every text escaped: a live
 * stream sends it, and the page's own template includes the same part, so both show the same markup.
 */
export function renderPart(name: string, data: Record<string, unknown>): string {
  return PARTS.render(`./${name}`, data);
}

/** The dashboard's policy: our own styles, images and (later) scripts; nothing inline, never framed. */
const CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * The staff dashboard under `/dashboard`, in its own Fastify scope (its cookies, CSRF, headers and
 * templates stay out of the web chat's way). Sign-in, sign-out and set-password pages are public;
 * everything else, the overview, the audit log and each `DashboardSection`, needs a signed-in
 * account. See src/http/dashboard/README.md for adding pages.
 */
export function dashboardRoutes(deps: DashboardDeps): (server: FastifyInstance) => void {
  return (server) => {
    void server.register(
      async (scope) => {
        await scope.register(fastifyCookie, { secret: deps.cookieSecret });
        await scope.register(helmet, {
          contentSecurityPolicy: {
            useDefaults: false,
            // The OpenID Connect button's form is answered with a redirect to the provider.
            directives: deps.oidc
              ? { ...CSP, formAction: [...CSP.formAction, new URL(deps.oidc.issuer).origin] }
              : CSP,
          },
          referrerPolicy: { policy: 'no-referrer' },
        });
        await scope.register(fastifyCsrf, {
          cookieKey: 'spreekuur_csrf',
          cookieOpts: { path: '/dashboard', sameSite: 'lax', httpOnly: true, signed: true, secure: 'auto' },
        });
        await scope.register(rateLimit, { global: false });
        await scope.register(view, {
          engine: { eta: new Eta({ autoEscape: true, cache: true }) },
          templates: VIEWS,
          layout: 'layout.eta',
          production: true,
        });
        scope.addContentTypeParser(
          'application/x-www-form-urlencoded',
          { parseAs: 'string', bodyLimit: 256 * 1024 },
          (_request, body, done) => done(null, formFields(String(body))),
        );
        decorate(scope, deps);
        endStreamsOnClose(scope);
        scope.addHook('onRequest', async (request) => {
          request.dashboardLang = languageOf(request, deps.municipality.defaultLanguage);
          const token = sessionToken(request);
          request.staffAccount = token ? await deps.accounts.session(token) : null;
        });
        // Every form of the dashboard, in every section, carries the CSRF token; nothing else passes.
        scope.addHook('preHandler', (request, reply, done) => {
          if (request.method === 'GET' || request.method === 'HEAD') return done();
          scope.csrfProtection(request, reply, done);
        });
        scope.addHook('onSend', (request, reply, payload, done) => {
          if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
          done(null, payload);
        });
        scope.setErrorHandler(
          async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
            if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET')
              return reply.message(403, 'dashboard.error.csrf_title', 'dashboard.error.csrf');
            const status = error.statusCode ?? 500;
            if (status === 429)
              return reply.message(429, 'dashboard.error.too_many_title', 'dashboard.error.too_many');
            if (status >= 500) request.log.error({ err: error }, 'dashboard error');
            if (status === 404) return reply.notFoundPage();
            return reply.message(
              status >= 400 ? status : 500,
              'dashboard.error.failed_title',
              'dashboard.error.failed',
            );
          },
        );
        scope.setNotFoundHandler(async (_request, reply) => reply.notFoundPage());
        scope.get('/dashboard.css', (_request, reply) =>
          reply.header('Cache-Control', 'public, max-age=3600').type('text/css; charset=utf-8').send(STYLES),
        );
        scope.get('/dashboard.js', (_request, reply) =>
          reply
            .header('Cache-Control', 'public, max-age=3600')
            .type('text/javascript; charset=utf-8')
            .send(SCRIPT),
        );
        mountAuthRoutes(scope, deps);
        if (deps.oidc) mountOidcRoutes(scope, deps, deps.oidc);
        await scope.register(async (signedIn) => {
          signedIn.addHook('preHandler', requireSignIn);
          signedIn.get('/', async (request, reply) => {
            const t = translator(deps.texts, request.dashboardLang);
            return reply.page('home', {
              title: t('dashboard.home.title'),
              links: await navFor(request, deps, t),
            });
          });
          mountAuditRoutes(signedIn, deps);
          for (const section of deps.sections ?? []) await section.routes(signedIn);
        });
      },
      { prefix: '/dashboard' },
    );
  };
}

/** The navigation an account sees: the overview, each section's links it may use, the audit log. */
async function navFor(
  request: FastifyRequest,
  deps: DashboardDeps,
  t: ReturnType<typeof translator>,
): Promise<{ href: string; label: string; current: boolean }[]> {
  const account = request.staffAccount;
  if (!account) return [];
  const items: NavItem[] = [
    { href: '/dashboard', label: 'dashboard.nav.home', visible: () => true },
    ...(deps.sections ?? []).flatMap((s) => s.nav ?? []),
    {
      href: '/dashboard/audit',
      label: 'dashboard.nav.audit',
      visible: () => account.role === 'admin',
    },
  ];
  const path = request.url.split('?')[0] ?? '';
  const visible = items.filter((item) => item.visible(account));
  const counts = await Promise.all(
    visible.map(async (item) => (item.count ? item.count.of(account) : undefined)),
  );
  return visible.map((item, i) => ({
    href: item.href,
    label:
      item.count && counts[i] !== undefined
        ? t(item.count.label, { count: String(counts[i]) })
        : t(item.label),
    current:
      item.href === '/dashboard'
        ? path === '/dashboard' || path === '/dashboard/'
        : path.startsWith(item.href),
  }));
}

/**
 * A posted form's fields, each line break as `\n`. Browsers send a textarea's line breaks as
 * `\r\n`; left so, a resident would receive them, the stored text would differ from what was
 * typed, and each line break would count twice against a length limit.
 */
export function formFields(body: string): Record<string, string> {
  return Object.fromEntries(
    [...new URLSearchParams(body)].map(([name, value]) => [name, value.replace(/\r\n?/g, '\n')]),
  );
}

/** A date and time as every dashboard page shows it. */
export function dashboardDateTime(at: Date, lang: Language): string {
  return at.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    timeZone: 'Europe/Amsterdam',
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
}

function decorate(scope: FastifyInstance, deps: DashboardDeps): void {
  scope.decorateRequest('staffAccount', null);
  scope.decorateRequest('dashboardLang', 'nl');
  scope.decorateRequest(
    'audit',
    async function (this: FastifyRequest, action: string, subject: string, detail?: Record<string, unknown>) {
      const actor = this.staffAccount ? `staff:${this.staffAccount.id}` : 'anonymous';
      await deps.audit.append({ actor, action, subject, ...(detail ? { detail } : {}) });
    },
  );
  scope.decorateRequest(
    'auditConversation',
    async function (this: FastifyRequest, action: string, key: string, detail?: Record<string, unknown>) {
      await this.audit(action, deps.audit.conversationSubject(key), detail);
    },
  );
  scope.decorateRequest('conversationAuditHref', function (this: FastifyRequest, key: string) {
    const account = this.staffAccount;
    return account && mayReadAudit(account.role) ? auditHref(deps.audit.conversationSubject(key)) : null;
  });
  scope.decorateReply(
    'page',
    async function (this: FastifyReply, template: string, data: { title: string } & Record<string, unknown>) {
      const request = this.request;
      const lang = request.dashboardLang;
      const t = translator(deps.texts, lang);
      const account = request.staffAccount;
      const context: PageContext = {
        t,
        lang,
        otherLang: lang === 'nl' ? 'en' : 'nl',
        path: request.url,
        account,
        roleLabel: account ? deps.roleLabel(account.role, t) : '',
        oidcLabel: deps.oidc?.label ?? null,
        csrf: this.generateCsrf(),
        nav: await navFor(request, deps, t),
        municipality: deps.municipality.name,
        logo: { src: deps.logo.src, alt: deps.logo.alt[lang] },
        title: data.title,
        dateTime: (at) => dashboardDateTime(at, lang),
      };
      return this.type('text/html; charset=utf-8').view(template, { ...context, ...data, template });
    },
  );
  scope.decorateReply(
    'message',
    async function (this: FastifyReply, status: number, title: TextKey, text: TextKey) {
      const t = translator(deps.texts, this.request.dashboardLang);
      // Only keys without placeholders come here.
      const plain = t as (key: TextKey) => string;
      return this.code(status).page('message', { title: plain(title), message: plain(text) });
    },
  );
  scope.decorateReply('notFoundPage', async function (this: FastifyReply) {
    return this.message(404, 'dashboard.error.not_found_title', 'dashboard.error.not_found');
  });
}
