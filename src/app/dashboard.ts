import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import { flowLabels, type LabelledFlow } from '../http/dashboard/conversation-place.js';
import { secretFromFile } from '../config/secret-file.js';
import type { Commands } from '../features/index.js';
import {
  aldermanOf,
  departmentOf,
  departmentsOf,
  parseRole,
  type Role,
  type RoleReferences,
} from '../features/accounts/roles.js';
import { publicUrl } from '../config/config.js';
import { ConfigError } from '../shared/errors.js';
import type { OidcSettings } from '../http/dashboard/types.js';
import { dashboardRoutes } from '../http/dashboard/plugin.js';
import { CHANNELS, casesDashboardSection } from './dashboard-cases.js';
import { conversationsDashboardSection } from '../http/dashboard/conversation-routes.js';
import type { DashboardSection } from '../http/dashboard/types.js';
import { webcareSection } from '../http/dashboard/webcare-routes.js';
import { liveSection } from '../http/dashboard/live-routes.js';
import { standardAnswerSection } from '../http/dashboard/standard-answer-routes.js';
import { agendaSection } from '../http/dashboard/agenda-routes.js';
import { pollSection } from '../http/dashboard/poll-routes.js';
import { updateSection } from '../http/dashboard/update-routes.js';
import { privacySection } from '../http/dashboard/privacy-routes.js';
import { deadLetterSection, type DeadLetterSectionDeps } from '../http/dashboard/dead-letter-routes.js';
import { pollPageRoute } from '../http/poll-page.js';
import type { Clock } from '../shared/clock.js';
import { hoursSection } from '../http/dashboard/hours-routes.js';
import type { Texts, Translate } from '../i18n/translator.js';
import type { Municipality } from '../municipality/municipality.js';
import { loadTheme } from '../municipality/theme.js';
import { onlySteers } from '../understanding/steering.js';
import type { Vocabulary } from '../understanding/vocabulary.js';

/** What the dashboard is made from, as the app has it. */
export interface DashboardParts {
  config: Config;
  municipality: Municipality;
  texts: Texts;
  commands: Commands;
  clock: Clock;
  /** The conversation's flows: the dashboard names a conversation's flow and step by their labels. */
  flows: readonly LabelledFlow[];
  /** The words residents type: a case made from a chat leaves out those that only steered it. */
  vocabulary: Vocabulary;
  /** The dead-letter table with the engine's retry and drop (not a feature: the engine's own). */
  deadLetters: DeadLetterSectionDeps['deadLetters'];
}

/**
 * The dashboard's sections besides sign-in, the overview and the audit log. A new part of the
 * dashboard (cases, users, …) is one line here.
 */
function sections(parts: DashboardParts): DashboardSection[] {
  const m = parts.municipality;
  const aldermen = new Map(m.aldermen.map((a) => [a.id, a.name]));
  const staffNames = async () => new Map((await parts.commands.accounts.list()).map((a) => [a.id, a.name]));
  return [
    casesDashboardSection(m, parts.texts, parts.commands),
    conversationsDashboardSection(
      parts.commands.chatLogs,
      parts.texts,
      (id) => aldermen.get(id) ?? id,
      m.districts.map((d) => ({ id: d.id, name: d.name })),
      (id, lang) => m.cases.topics.find((x) => x.id === id)?.label[lang] ?? id,
      {
        labels: flowLabels(parts.flows),
        holder: async (key) => {
          const operatorId = (await parts.commands.webcare.conversation(key))?.request.operatorId ?? null;
          if (operatorId === null) return null;
          const account = (await parts.commands.accounts.list()).find((a) => a.id === operatorId);
          return account?.name ?? operatorId;
        },
      },
      staffNames,
    ),
    webcareSection({
      webcare: parts.commands.webcare,
      texts: parts.texts,
      names: staffNames,
      aldermanName: (id) => aldermen.get(id) ?? id,
      answers: m.webcareAnswers,
      municipality: m.name,
      defaultLanguage: m.defaultLanguage,
      cases: parts.commands.webcare,
      steers: (text, choices) => onlySteers(parts.vocabulary, text, choices),
    }),
    standardAnswerSection({
      library: parts.commands.cases.library,
      texts: parts.texts,
      topics: (lang) => m.cases.topics.map((x) => ({ id: x.id, label: x.label[lang] })),
    }),
    liveSection({
      live: parts.commands.scheduling.live,
      texts: parts.texts,
      aldermen: m.aldermen.map((a) => ({ id: a.id, name: a.name })),
    }),
    agendaSection({
      scheduling: parts.commands.scheduling,
      texts: parts.texts,
      aldermen: m.aldermen.map((a) => ({ id: a.id, name: a.name })),
      timeZone: m.timeZone,
    }),
    privacySection({
      privacy: parts.commands.privacy,
      texts: parts.texts,
      channels: CHANNELS,
    }),
    deadLetterSection({ deadLetters: parts.deadLetters, texts: parts.texts }),
    pollSection({
      polls: parts.commands.polls,
      texts: parts.texts,
      districts: m.districts.map((d) => ({ id: d.id, name: d.name })),
      timeZone: m.timeZone,
      clock: parts.clock,
    }),
    hoursSection({
      hours: parts.commands.scheduling.hours,
      texts: parts.texts,
      aldermen: m.aldermen.map((a) => ({ id: a.id, name: a.name })),
      timeZone: m.timeZone,
    }),
    updateSection({
      updates: parts.commands.participation.updates,
      texts: parts.texts,
      districts: m.districts.map((d) => ({ id: d.id, name: d.name, aldermanId: d.aldermanId })),
    }),
  ];
}

/** How a role reads on the page: "Medewerker Team Afval en Reiniging", "Wethouder Fatma Yilmaz". */
export function roleLabeller(municipality: Municipality): (role: Role, t: Translate) => string {
  const departments = new Map(departmentsOf(municipality).map((d) => [d.id, d.name]));
  const aldermen = new Map(municipality.aldermen.map((a) => [a.id, a.name]));
  return (role, t) => {
    if (role === 'admin') return t('dashboard.role.admin');
    if (role === 'operator') return t('dashboard.role.operator');
    const department = departmentOf(role);
    if (department !== null)
      return t('dashboard.role.department', { name: departments.get(department) ?? department });
    const alderman = aldermanOf(role) ?? '';
    return t('dashboard.role.alderman', { name: aldermen.get(alderman) ?? alderman });
  };
}

/** The dashboard's routes, wired to the features' commands. */
export function dashboardRoute(parts: DashboardParts): (server: FastifyInstance) => void {
  const { config, municipality, texts, commands } = parts;
  const theme = loadTheme(resolve(config.DATA_DIR));
  const publicPolls = pollPageRoute({
    results: (id) => commands.polls.publicResults(id),
    districtName: commands.polls.districtName,
    texts,
    municipality: {
      name: municipality.name,
      defaultLanguage: municipality.defaultLanguage,
      timeZone: municipality.timeZone,
    },
  });
  const dashboard = dashboardRoutes({
    accounts: commands.accounts,
    audit: commands.audit,
    texts,
    municipality: { name: municipality.name, defaultLanguage: municipality.defaultLanguage },
    roleLabel: roleLabeller(municipality),
    logo: { src: `/assets/logo${theme.logo.extension}`, alt: theme.logo.alt },
    cookieSecret: secretFromFile(
      config.DASHBOARD_COOKIE_SECRET,
      config.DASHBOARD_SECRET_FILE,
      'DASHBOARD_COOKIE_SECRET',
    ),
    sections: sections(parts),
    ...(config.OIDC_ISSUER ? { oidc: oidcSettings(config, commands.accounts.refs) } : {}),
  });
  return (server) => {
    dashboard(server);
    publicPolls(server);
  };
}

/**
 * The OpenID Connect settings: OIDC_ROLE_MAP's roles are checked against the municipality's
 * departments and aldermen at start-up. Without a map a claim value must itself be a role.
 */
export function oidcSettings(config: Config, refs: RoleReferences): OidcSettings {
  const map = config.OIDC_ROLE_MAP;
  for (const [value, role] of Object.entries(map ?? {})) {
    if (!parseRole(role, refs))
      throw new ConfigError(
        `Configuration error: OIDC_ROLE_MAP: "${value}" maps to "${role}", which is no role (admin, operator, department:<id>, alderman:<id> of this municipality)`,
      );
  }
  return {
    issuer: config.OIDC_ISSUER!,
    clientId: config.OIDC_CLIENT_ID!,
    clientSecret: config.OIDC_CLIENT_SECRET!,
    roleClaim: config.OIDC_ROLE_CLAIM,
    label: config.OIDC_BUTTON_LABEL,
    redirectUri: config.PUBLIC_URL ? `${publicUrl(config)}/dashboard/oidc/callback` : null,
    roleFor: (values) => {
      for (const value of values) {
        const role = map ? (Object.hasOwn(map, value) ? map[value] : undefined) : value;
        if (role && parseRole(role, refs)) return role;
      }
      return null;
    },
  };
}
