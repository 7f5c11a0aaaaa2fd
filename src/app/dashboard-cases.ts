import type { Commands } from '../features/index.js';
import { departmentsOf } from '../features/cases/staff-texts.js';
import type { CaseLabels } from '../http/dashboard/case-views.js';
import { caseSection, type CasePerson } from '../http/dashboard/case-routes.js';
import type { DashboardSection } from '../http/dashboard/types.js';
import { translator, type Language, type Texts } from '../i18n/translator.js';
import type { Municipality } from '../municipality/municipality.js';

/** The channels a resident can write on, as the dashboard lists them. */
export const CHANNELS = ['whatsapp', 'telegram', 'web', 'console'] as const;

/** The names the case pages show, per language, from the municipality's data. */
export function caseLabelsOf(m: Municipality, texts: Texts): (lang: Language) => CaseLabels {
  const cache = new Map<Language, CaseLabels>();
  return (lang) => {
    const known = cache.get(lang);
    if (known) return known;
    const t = translator(texts, lang);
    const labels: CaseLabels = {
      timeZone: m.timeZone,
      topics: m.cases.topics.map((x) => ({ id: x.id, label: x.label[lang] })),
      districts: m.districts.map((d) => ({ id: d.id, label: d.name })),
      teams: [
        ...departmentsOf(m.cases.routing).map((d) => ({ key: `department:${d.id}`, label: d.name })),
        ...m.aldermen.map((a) => ({
          key: `alderman:${a.id}`,
          label: t('dashboard.cases.team.alderman', { name: a.name }),
        })),
      ],
      channels: CHANNELS.map((id) => ({ id, label: t(`dashboard.cases.channel.${id}`) })),
    };
    cache.set(lang, labels);
    return labels;
  };
}

/** The case inbox and case pages, wired to the cases and accounts commands. */
export function casesDashboardSection(m: Municipality, texts: Texts, commands: Commands): DashboardSection {
  return caseSection({
    cases: commands.cases,
    texts,
    labels: caseLabelsOf(m, texts),
    people: async (): Promise<CasePerson[]> =>
      (await commands.accounts.list())
        .filter((a) => !a.disabled)
        .map((a) => ({ id: a.id, name: a.name, role: a.role })),
  });
}
