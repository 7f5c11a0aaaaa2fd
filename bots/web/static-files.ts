import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { WebTexts } from './texts.js';
import { webTranslator } from './texts.js';

const read = (name: string) => readFileSync(new URL(`./public/${name}`, import.meta.url), 'utf8');

/** The widget's own texts in both languages, put into widget.js as JSON (never as HTML). */
function widgetConfig(texts: WebTexts, municipality: string, defaultLanguage: string): string {
  const pick = (lang: 'nl' | 'en') => {
    const t = webTranslator(texts, lang, municipality);
    return {
      open: t('webchat.widget.open'),
      close: t('webchat.widget.close'),
      frameTitle: t('webchat.widget.frame_title'),
    };
  };
  const json = JSON.stringify({ defaultLanguage, texts: { nl: pick('nl'), en: pick('en') } });
  // Inside a script, '<' could only matter in HTML; escaped anyway so the JSON can never end a tag.
  return json.replace(/</g, '\\u003c');
}

/**
 * GET /chat/chat.js, /chat/chat.css (the page's script and styles) and /chat/widget.js,
 * /chat/widget.css (the one script tag for the municipality's site, and its panel's styles).
 */
export function mountStaticFiles(
  server: FastifyInstance,
  o: { texts: WebTexts; municipality: string; defaultLanguage: string },
): void {
  const files: Record<string, { type: string; body: string; crossOrigin: boolean }> = {
    'chat.js': { type: 'text/javascript', body: read('chat.js'), crossOrigin: false },
    'chat.css': { type: 'text/css', body: read('chat.css'), crossOrigin: false },
    'widget.js': {
      type: 'text/javascript',
      body: read('widget.js').replace(
        '__WIDGET_CONFIG__',
        widgetConfig(o.texts, o.municipality, o.defaultLanguage),
      ),
      crossOrigin: true,
    },
    'widget.css': { type: 'text/css', body: read('widget.css'), crossOrigin: true },
  };
  for (const [name, file] of Object.entries(files)) {
    server.get(`/chat/${name}`, (_request, reply) => {
      // The widget's files are loaded by other sites' pages; the rest only by our own.
      if (file.crossOrigin) reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
      return reply
        .header('Cache-Control', 'public, max-age=300')
        .type(`${file.type}; charset=utf-8`)
        .send(file.body);
    });
  }
}
