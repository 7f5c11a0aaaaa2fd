import type { FastifyRequest } from 'fastify';
import type { Steers, WebcareCaseCommands } from '../../features/webcare/webcare-case.js';
import { isTextKey, translator, type Texts } from '../../i18n/translator.js';
import type { TranscriptEntry } from '../../ports/conversation-repository.js';

/**
 * The form to make a case, in the page's language, and the cases this conversation has; `made` is
 * the reference just made (from the redirect), shown only when it is one of them.
 */
export async function caseFormOf(
  deps: { cases: Pick<WebcareCaseCommands, 'caseForm'>; texts: Texts; steers?: Steers },
  key: string,
  transcript: readonly TranscriptEntry[],
  request: FastifyRequest,
) {
  const form = await deps.cases.caseForm(key, transcript, deps.steers);
  const lang = request.dashboardLang;
  const t = translator(deps.texts, lang);
  const made = (request.query as { made?: unknown }).made;
  const topics = form.topics.map((x) => ({ id: x.id, label: x.label[lang] }));
  const status = (s: string) => {
    const k = `dashboard.cases.status.${s}`;
    return isTextKey(k) ? t(k) : s;
  };
  return {
    ...form,
    topics,
    cases: form.cases.map((c) => ({
      reference: c.reference,
      href: `/dashboard/cases/${encodeURIComponent(c.reference)}`,
      line: t('dashboard.webcare.case.line', {
        topic: topics.find((x) => x.id === c.topic)?.label ?? c.topic,
        status: status(c.status),
      }),
    })),
    made: form.cases.some((c) => c.reference === made) ? String(made) : null,
  };
}
