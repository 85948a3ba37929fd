// Renders an email (subject, HTML with the language's direction, plain text) from
// views/emails/<name>.html.ejs and <name>.text.ejs in the recipient's language.
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { Language } from '../domain/ticket';
import { formatters } from '../i18n/format';
import { DIRECTION, translator } from '../i18n/index';
import { isolatedT } from '../i18n/markup';
import { VIEWS_DIR } from '../paths';
import { decisionLines } from '../decisions/wording';
import type { Decision } from '../review/facts';

const dir = path.join(VIEWS_DIR, 'emails');
const cache = new Map<string, ejs.TemplateFunction>();

function template(file: string): ejs.TemplateFunction {
  let fn = cache.get(file);
  if (!fn) {
    const filename = path.join(dir, file);
    // Plain-text parts are not HTML: nothing in them is escaped.
    const escape = file.endsWith('.text.ejs') ? (v: unknown) => (v == null ? '' : String(v)) : undefined;
    fn = ejs.compile(fs.readFileSync(filename, 'utf8'), { filename, ...(escape ? { escape } : {}) });
    cache.set(file, fn);
  }
  return fn;
}

export type EmailName = 'ticket-created' | 'ticket-link' | 'decision' | 'staff-reply';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export function renderEmail(name: EmailName, lng: Language, data: Record<string, unknown>): RenderedEmail {
  const t = translator(lng);
  const fmt = formatters(lng);
  const extra = name === 'decision' ? { lines: decisionLines(data.decision as Decision, fmt, t) } : {};
  const locals = { ...data, ...extra, t, tb: isolatedT(t), lng, dir: DIRECTION[lng], fmt };
  const body = template(`${name}.html.ejs`)(locals);
  return {
    subject: t(`emails:${camel(name)}.subject`, data),
    html: template('layout.html.ejs')({ ...locals, body }),
    text: template(`${name}.text.ejs`)(locals),
  };
}

function camel(name: string): string {
  return name.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
}
