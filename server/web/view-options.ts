// How EJS compiles the views. By default EJS wraps each view in `with (locals)`,
// which keeps V8 from optimizing it: every name, even __append, becomes a lookup
// on the locals object (a queue page rendered 4× slower). Instead each view
// declares the locals it reads, from this list; the view-locals test parses every
// view and keeps the list exact.
import { VIEWS_DIR } from '../paths';
import type { Express } from 'express';
import type { Options } from 'ejs';

export const VIEW_LOCALS = [
  'actions', 'adminSections', 'assignee', 'base', 'by', 'canned', 'changed', 'changes', 'choices', 'code', 'csrfToken',
  'currency', 'currencyError', 'customer', 'customerLabel', 'customised', 'decisionForms', 'decisionLines',
  'decisions', 'defaultCurrency', 'deliveries', 'dir', 'dryRun', 'emptyText', 'errorList', 'errors', 'errorsFor',
  'existing', 'exportHref', 'failed', 'fields', 'fileName', 'fileUrl', 'files', 'filled', 'firstHref', 'fmt', 'form',
  'formErrors', 'formats', 'hasSecret', 'headers', 'hiddenErrors', 'history', 'id', 'input', 'job', 'kinds',
  'languageLinks', 'languages', 'limits', 'link', 'linkFor', 'lng', 'loadedAt', 'lockedMinutes', 'managerSections',
  'mapping', 'mappingError', 'maxMb', 'maxPayable', 'maxRows', 'maxScreenshots', 'me', 'messages', 'moves', 'name',
  'nextHref', 'notice', 'orderIds', 'passwordMin', 'people', 'placeholders', 'preview', 'previewFields', 'previewMax',
  'previewed', 'providers', 'publicUrl', 'query', 'queue', 'r', 'ranges', 'rates', 'rating', 'reasons', 'recent',
  'rejectReasons', 'reply', 'replyBody', 'required', 'resetHref', 'resolutions', 'result', 'review', 'roles',
  'rowError', 'rows', 'saved', 'savedUrl', 'scopes', 'secret', 'secretMin', 'sent', 'stack', 'staff', 'staffList',
  'stageKey', 'staged', 'status', 'sync', 't', 'tb', 'test', 'threshold', 'ticket', 'title', 'token', 'tokens',
  'trend', 'users', 'values', 'view', 'viewers',
];

const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/**
 * EJS's own escaping, entity for entity (`"` is &#34;, where i18n/markup.ts's
 * escapeHtml writes &quot;), without a replace for the many values that need none.
 */
export function escapeView(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ENTITY[c]!) : text;
}

/** An app renders the views with EJS, compiled as above; compiled views are kept unless `cache` is false. */
export function useViews(app: Express, cache = true): void {
  app.set('view engine', 'ejs');
  app.set('view cache', cache);
  app.set('views', VIEWS_DIR);
  // Views include each other by paths from the views folder ('/partials/head'), so
  // EJS resolves them against `root` without asking the file system on every include.
  const options: Options = { _with: false, destructuredLocals: VIEW_LOCALS, escape: escapeView, root: VIEWS_DIR };
  app.set('view options', options);
}
