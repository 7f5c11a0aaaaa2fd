import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import {
  PLACEHOLDERS,
  type AnswerError,
  type AnswerInput,
  type LibraryAnswer,
  type SaveResult,
} from '../../features/cases/answer-library.js';
import type { CaseViewer } from '../../features/cases/policy.js';
import { translator, type Language, type Translate } from '../../i18n/translator.js';
import { staffOf } from './guards.js';
import type { DashboardSection } from './types.js';

/** What the standard-answer pages are built from (wired in src/app/dashboard.ts). */
export interface StandardAnswerSectionDeps {
  library: {
    list(): Promise<LibraryAnswer[]>;
    get(id: string): Promise<LibraryAnswer | null>;
    save(viewer: CaseViewer, mode: 'add' | 'edit', input: AnswerInput): Promise<SaveResult>;
    remove(viewer: CaseViewer, id: string): Promise<boolean>;
  };
  texts: Parameters<typeof translator>[0];
  /** The municipality's topics, named in the page's language. */
  topics(lang: Language): { id: string; label: string }[];
}

/** Only admins manage standard answers; anyone else gets the 404 page (the pages do not exist for them). */
const adminOnly: preHandlerAsyncHookHandler = async (request, reply) => {
  if (staffOf(request).role !== 'admin') await reply.notFoundPage();
};

const BASE = '/dashboard/standard-answers';

/**
 * The answer a form describes. Each topic is a checkbox of its own name (`topic-afval`): the form
 * parser keeps one value per name, so checkboxes sharing one name kept only the last one ticked.
 */
function formOf(body: unknown, topicIds: readonly string[], id?: string): AnswerInput {
  const form = (body ?? {}) as Record<string, unknown>;
  const one = (name: string) => {
    const v = form[name];
    return typeof v === 'string' ? v : '';
  };
  return {
    id: id ?? one('id').trim(),
    topics: topicIds.filter((topic) => one(`topic-${topic}`) === 'on'),
    titleNl: one('titleNl'),
    titleEn: one('titleEn'),
    textNl: one('textNl'),
    textEn: one('textEn'),
  };
}

function errorText(t: Translate, e: AnswerError): string {
  const allowed = PLACEHOLDERS.map((p) => `{${p}}`).join(', ');
  return t(`dashboard.answers.error.${e.code}`, { placeholder: `{${e.placeholder ?? ''}}`, allowed });
}

/** The admins' pages for the standard answers: a list per topic, add, edit and delete. */
export function standardAnswerSection(deps: StandardAnswerSectionDeps): DashboardSection {
  const topicIds = () => deps.topics('nl').map((x) => x.id);
  function formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    mode: 'add' | 'edit',
    input: AnswerInput,
    errors: AnswerError[] = [],
  ) {
    const lang = request.dashboardLang;
    const t = translator(deps.texts, lang);
    const fieldErrors: Record<string, string> = {};
    for (const e of errors) fieldErrors[e.field] ??= errorText(t, e);
    if (errors.length) reply.code(400);
    return reply.page('standard-answer', {
      title:
        mode === 'add'
          ? t('dashboard.answers.add_title')
          : t('dashboard.answers.edit_title', { id: input.id }),
      mode,
      action: mode === 'add' ? `${BASE}/new` : `${BASE}/${encodeURIComponent(input.id)}`,
      input,
      errors: fieldErrors,
      errorList: errors.map((e) => ({ field: e.field, text: errorText(t, e) })),
      topics: deps.topics(lang).map((x) => ({ ...x, checked: input.topics.includes(x.id) })),
      placeholders: PLACEHOLDERS.map((p) => `{${p}}`).join(', '),
    });
  }

  return {
    nav: [
      {
        href: BASE,
        label: 'dashboard.nav.standard_answers',
        visible: (account) => account.role === 'admin',
      },
    ],
    routes(scope: FastifyInstance) {
      scope.get('/standard-answers', { preHandler: adminOnly }, async (request, reply) => {
        const lang = request.dashboardLang;
        const t = translator(deps.texts, lang);
        const all = await deps.library.list();
        const active = all.filter((a) => !a.deleted);
        const row = (a: LibraryAnswer) => ({
          id: a.id,
          href: `${BASE}/${encodeURIComponent(a.id)}`,
          deleteAction: `${BASE}/${encodeURIComponent(a.id)}/delete`,
          title: a.title[lang],
          text: a.text[lang],
          source: t(`dashboard.answers.source.${a.source}`),
        });
        const groups = [
          { label: t('dashboard.answers.every_topic'), answers: active.filter((a) => !a.topics).map(row) },
          ...deps.topics(lang).map((topic) => ({
            label: topic.label,
            answers: active.filter((a) => a.topics?.includes(topic.id)).map(row),
          })),
        ];
        const done = (request.query as { done?: unknown }).done;
        return reply.page('standard-answers', {
          title: t('dashboard.answers.title'),
          groups,
          deleted: all.filter((a) => a.deleted).map(row),
          done: done === 'saved' || done === 'deleted' ? t(`dashboard.answers.done.${done}`) : '',
        });
      });

      scope.get('/standard-answers/new', { preHandler: adminOnly }, async (request, reply) =>
        formPage(request, reply, 'add', formOf({}, [])),
      );

      scope.post('/standard-answers/new', { preHandler: adminOnly }, async (request, reply) => {
        const input = formOf(request.body, topicIds());
        const result = await deps.library.save(staffOf(request), 'add', input);
        if (!result.ok) return formPage(request, reply, 'add', input, result.errors);
        return reply.redirect(`${BASE}?done=saved`, 303);
      });

      scope.get<{ Params: { id: string } }>(
        '/standard-answers/:id',
        { preHandler: adminOnly },
        async (request, reply) => {
          const answer = await deps.library.get(request.params.id);
          if (!answer || answer.deleted) return reply.notFoundPage();
          return formPage(request, reply, 'edit', {
            id: answer.id,
            topics: answer.topics ?? [],
            titleNl: answer.title.nl,
            titleEn: answer.title.en,
            textNl: answer.text.nl,
            textEn: answer.text.en,
          });
        },
      );

      scope.post<{ Params: { id: string } }>(
        '/standard-answers/:id',
        { preHandler: adminOnly },
        async (request, reply) => {
          const known = await deps.library.get(request.params.id);
          if (!known || known.deleted) return reply.notFoundPage();
          const input = formOf(request.body, topicIds(), known.id);
          const result = await deps.library.save(staffOf(request), 'edit', input);
          if (!result.ok) return formPage(request, reply, 'edit', input, result.errors);
          return reply.redirect(`${BASE}?done=saved`, 303);
        },
      );

      scope.post<{ Params: { id: string } }>(
        '/standard-answers/:id/delete',
        { preHandler: adminOnly },
        async (request, reply) => {
          if (!(await deps.library.remove(staffOf(request), request.params.id))) return reply.notFoundPage();
          return reply.redirect(`${BASE}?done=deleted`, 303);
        },
      );
    },
  };
}
