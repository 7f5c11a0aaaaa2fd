import type { FastifyInstance } from 'fastify';
import type { AccountCommands } from '../../features/accounts/accounts.js';
import type { Role, StaffAccount } from '../../features/accounts/roles.js';
import type { SignInCommands } from '../../features/accounts/sign-in.js';
import type { AuditEntry, AuditRecord } from '../../ports/audit-repository.js';
import type { Language, TextKey, Texts, Translate } from '../../i18n/translator.js';

/** A link in the dashboard's navigation. */
export interface NavItem {
  href: string;
  label: TextKey;
  /** Whether the account sees the link (the routes check the role themselves as well). */
  visible(account: StaffAccount): boolean;
  /** A number shown with the link (residents waiting), and the label that shows it (`{count}`). */
  count?: { label: TextKey; of(account: StaffAccount): Promise<number> };
}

/**
 * A part of the dashboard (cases, users, …): its navigation links and its routes. `routes` runs in
 * the signed-in scope under `/dashboard`: every route there needs a signed-in account
 * (`request.staffAccount`), every POST needs the form's CSRF token, and `reply.page` renders.
 */
export interface DashboardSection {
  nav?: NavItem[];
  routes(scope: FastifyInstance): void | Promise<void>;
}

/** What the dashboard is built from (wired in src/app/dashboard.ts). */
export interface DashboardDeps {
  accounts: Pick<AccountCommands, 'linkAccount' | 'setPasswordWithLink' | 'list'> & SignInCommands;
  audit: {
    append(entry: AuditEntry): Promise<unknown>;
    conversationSubject(key: string): string;
    page(options: { limit: number; beforeSeq?: number; subject?: string }): Promise<AuditRecord[]>;
  };
  texts: Texts;
  /** The municipality's name and the language pages start in. */
  municipality: { name: string; defaultLanguage: Language };
  /** How a role is shown (`Medewerker Team Afval en Reiniging`). */
  roleLabel(role: Role, t: Translate): string;
  logo: { src: string; alt: Record<Language, string> };
  /** Signs the session and CSRF cookies (at least 32 characters). */
  cookieSecret: string;
  /** Sign-in through the municipality's OpenID Connect provider, when configured. */
  oidc?: OidcSettings;
  /** The parts of the dashboard besides sign-in, the overview and the audit log. */
  sections?: DashboardSection[];
}

/** What every page template gets besides its own data (`it.t`, `it.csrf`, …). */
export interface PageContext {
  t: Translate;
  lang: Language;
  otherLang: Language;
  /** The page's own path and query, for the language switch. */
  path: string;
  account: StaffAccount | null;
  roleLabel: string;
  /** The OpenID Connect button's label, when that sign-in is configured. */
  oidcLabel: string | null;
  /** The CSRF token every form posts as `_csrf`. */
  csrf: string;
  nav: { href: string; label: string; current: boolean }[];
  municipality: string;
  logo: { src: string; alt: string };
  /** A template's `<title>` and `<h1>`. */
  title: string;
  /** Formats a date and time for the page's language (Europe/Amsterdam). */
  dateTime(at: Date): string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in account; null only on the public pages (sign-in, set-password). */
    staffAccount: StaffAccount | null;
    /** The page's language (nl unless the account switched to en). */
    dashboardLang: Language;
    /** Appends a line to the audit log as the signed-in account (`case.view`, `case.export`, …). */
    audit(action: string, subject: string, detail?: Record<string, unknown>): Promise<void>;
    /** The same, about a resident's conversation: named by its pseudonym, as its key holds a phone number. */
    auditConversation(action: string, key: string, detail?: Record<string, unknown>): Promise<void>;
    /**
     * The audit page's lines about a resident's conversation (filtered on its pseudonym, so the key's
     * phone number stays out of the URL), or null for an account that may not read the log.
     */
    conversationAuditHref(key: string): string | null;
  }
  interface FastifyReply {
    /**
     * Renders `views/<template>.eta` inside the layout. Its data must have a `title`; the template
     * reads it as `it.<name>` beside the page context (`it.t`, `it.csrf`, `it.account`, …).
     */
    page(template: string, data: { title: string } & Record<string, unknown>): Promise<FastifyReply>;
    /** The dashboard's 404 page (also for what the account may not know exists). */
    notFoundPage(): Promise<FastifyReply>;
    /** A page with only a heading and a message, with this status. */
    message(status: number, title: TextKey, text: TextKey): Promise<FastifyReply>;
  }
}

/** Sign-in through the municipality's OpenID Connect provider, as configured (OIDC_*). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The ID token claim that grants a role (a string or a list of strings). */
  roleClaim: string;
  /** The role the claim's values map to (the first that maps), or null. */
  roleFor(values: string[]): string | null;
  /** What the button names: "Inloggen met <label>". */
  label: string;
  /** The callback address registered at the provider; null: this request's own origin. */
  redirectUri: string | null;
}
