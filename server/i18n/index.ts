// i18next with every namespace loaded from locales/ at start. EJS escapes output,
// so i18next's own escaping is off.
import fs from 'node:fs';
import path from 'node:path';
import i18next, { type Resource, type ResourceLanguage, type TFunction, type i18n } from 'i18next';
import { LANGUAGES, type Language } from '../domain/ticket';
import { LOCALES_DIR } from '../paths';
import { remember } from './intl-cache';


export const DIRECTION: Record<Language, 'ltr' | 'rtl'> = { en: 'ltr', ar: 'rtl', uk: 'ltr' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function loadResources(dir = LOCALES_DIR): Resource {
  const resources: Record<string, ResourceLanguage> = {};
  for (const lng of LANGUAGES) {
    resources[lng] = {};
    for (const file of fs.readdirSync(path.join(dir, lng)).filter((f) => f.endsWith('.json'))) {
      resources[lng]![file.replace(/\.json$/, '')] = JSON.parse(fs.readFileSync(path.join(dir, lng, file), 'utf8'));
    }
  }
  return resources;
}

let instance: i18n | undefined;

export function getI18n(): i18n {
  if (instance) return instance;
  const resources = loadResources();
  const created = i18next.createInstance();
  void created.init({
    initAsync: false,
    resources,
    supportedLngs: [...LANGUAGES],
    fallbackLng: 'en',
    ns: Object.keys(resources.en!),
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  instance = created;
  return created;
}

const translators = new Map<Language, TFunction>();

/** A cache key for calls whose options are only strings and numbers; null for anything else. */
function cacheKey(key: string, options: unknown): string | null {
  if (options === undefined) return key;
  if (typeof options !== 'object' || options === null) return null;
  let id = key;
  for (const [name, value] of Object.entries(options)) {
    if (typeof value !== 'string' && typeof value !== 'number') return null;
    id += `\u0000${name}\u0001${value}`;
  }
  return id;
}

/**
 * The language's t(). A translation depends only on its key and values, and the
 * texts never change while the process runs, so results are remembered.
 */
export function translator(lng: Language): TFunction {
  let t = translators.get(lng);
  if (!t) {
    const fixed = getI18n().getFixedT(lng) as unknown as (k: unknown, o?: unknown) => string;
    const texts = new Map<string, string>();
    t = ((key: string | string[], options?: unknown) => {
      const id = typeof key === 'string' ? cacheKey(key, options) : null;
      if (id === null) return fixed(key, options);
      // Values such as counts and durations repeat; the map is emptied when it grows large.
      return remember(texts, id, () => fixed(key, options), 20_000);
    }) as unknown as TFunction;
    translators.set(lng, t);
  }
  return t;
}
