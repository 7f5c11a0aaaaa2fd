import { formatDate } from '../../i18n/format.js';
import { translator } from '../../i18n/translator.js';
import type { FeatureDeps } from '../../ports/feature.js';
import type { Case } from '../../ports/case-repository.js';
import type { MailMessage } from '../../ports/mailer.js';
import type { JobHandler } from '../../ports/queue.js';
import { getCase } from './case-service.js';
import { isOpen } from './case-status.js';

/** What a department member is mailed about. */
export type CaseMailKind = 'reminder' | 'escalated';

/** One e-mail to one account about one case's reminder or escalation. */
export interface CaseMailJob {
  caseId: string;
  accountId: string;
  kind: CaseMailKind;
}

/** SMTP can be down for a while: ten tries, 30 s apart at first, doubling (about 8.5 hours in all). */
const MAIL_RETRY = { attempts: 10, backoffMs: 30_000 };

/**
 * Puts one mail job per active account of the case's department on the queue. The job id holds
 * the reminder's own id and the account, so a repeated reminder job mails no one twice, and an
 * SMTP failure only retries the mail, never the reminder itself. Nothing without SMTP.
 */
export async function mailDepartment(
  deps: FeatureDeps,
  c: Case,
  kind: CaseMailKind,
  eventId: string,
): Promise<void> {
  if (!deps.mailer.enabled || c.assignee?.type !== 'department') return;
  const role = `department:${c.assignee.id}`;
  const accounts = await deps.uow.run((r) => r.accounts.list());
  for (const account of accounts) {
    if (account.role !== role || account.disabledAt) continue;
    const data: CaseMailJob = { caseId: c.id, accountId: account.id, kind };
    await deps.queue.enqueue('case.mail', data, { jobId: `${eventId}:mail:${account.id}`, ...MAIL_RETRY });
  }
}

/** The e-mail: reference, topic, department, date and a link; Dutch first, English below; no resident text. */
export function caseMail(deps: FeatureDeps, c: Case, to: string, kind: CaseMailKind): MailMessage {
  const m = deps.municipality;
  const department = c.assignee?.type === 'department' ? c.assignee.name : '';
  const link = `${deps.publicUrl}/dashboard/cases/${encodeURIComponent(c.reference)}`;
  const now = deps.clock.now();
  const [nl, en] = (['nl', 'en'] as const).map((lang) => {
    const t = translator(deps.texts, lang);
    const topic = m.cases.topics.find((x) => x.id === c.topic)?.label[lang] ?? c.topic;
    const vars = {
      reference: c.reference,
      topic,
      department,
      date: formatDate(c.answerBy, lang, m.timeZone, now),
      link,
    };
    return {
      subject: t(`mail.case.${kind}.subject`, vars),
      text: `${t(`mail.case.${kind}.body`, vars)}\n\n${t('mail.footer', { department })}`,
    };
  });
  return {
    to,
    subject: `${nl!.subject} / ${en!.subject}`,
    text: `${nl!.text}\n\n----- English -----\n\n${en!.text}\n`,
  };
}

/** Sends one department member's mail, if the account is still active in that department and the case still open. */
export function caseMailJob(deps: FeatureDeps): JobHandler<CaseMailJob> {
  return async (job) => {
    const { caseId, accountId, kind } = job.data;
    const [c, account] = await deps.uow.run(
      async (r) => [await getCase(r, caseId), await r.accounts.byId(accountId)] as const,
    );
    if (!account || account.disabledAt || !isOpen(c.status)) return;
    if (c.assignee?.type !== 'department' || account.role !== `department:${c.assignee.id}`) return;
    await deps.mailer.send(caseMail(deps, c, account.email, kind));
  };
}
