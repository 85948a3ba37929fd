// The translations in locales/ against the English source: same files, same keys,
// the plural forms each language needs, the same {{placeholders}}, no empty text,
// and an i18next instance that really picks the right plural form.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Resource } from 'i18next';
import { LANGUAGES } from '../../server/domain/ticket';
import { getI18n, loadResources } from '../../server/i18n/index';
import { LOCALES_DIR } from '../../server/paths';

const SOURCE = 'en';
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

type Flat = Map<string, string>;

/** Every leaf of one language as "namespace:dotted.key" → text; non-text leaves are reported. */
function flatten(language: Record<string, unknown>, problems: string[] = []): Flat {
  const flat: Flat = new Map();
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string') flat.set(key, value);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, key.endsWith(':') ? key + k : `${key}.${k}`);
    } else problems.push(`${key} is not a string or an object`);
  };
  for (const [ns, tree] of Object.entries(language)) walk(tree, `${ns}:`);
  return flat;
}

/** Plural families of the source: "x" when the source has "x_one"/"x_other". */
function pluralFamilies(source: Flat): Set<string> {
  const families = new Set<string>();
  for (const key of source.keys()) {
    const m = PLURAL_SUFFIX.exec(key);
    if (m) families.add(key.slice(0, -m[0].length));
  }
  return families;
}

/** A key with its plural suffix removed when it belongs to a plural family of the source. */
function split(key: string, families: Set<string>): { base: string; category?: string } {
  const m = PLURAL_SUFFIX.exec(key);
  if (m) {
    const base = key.slice(0, -m[0].length);
    if (families.has(base)) return { base, category: m[1] };
  }
  return { base: key };
}

function placeholders(text: string): Set<string> {
  return new Set([...text.matchAll(/\{\{\s*([^},\s]+)[^}]*\}\}/g)].map((m) => m[1]!));
}

function pluralCategories(lng: string): string[] {
  return [...new Intl.PluralRules(lng).resolvedOptions().pluralCategories].sort();
}

/** A number of each plural category of a language, and how many numbers fall in it. */
function categorySamples(lng: string): Map<string, { sample: number; numbers: number }> {
  const rules = new Intl.PluralRules(lng);
  const found = new Map<string, { sample: number; numbers: number }>();
  const candidates = [...Array.from({ length: 1001 }, (_, i) => i), 0.5, 1.5, 2.5, 10.5];
  for (const n of candidates) {
    const category = rules.select(n);
    const seen = found.get(category);
    if (seen) seen.numbers += 1;
    else found.set(category, { sample: n, numbers: 1 });
  }
  return found;
}

/** Categories that only ever mean one number (ar zero/one/two, en one): they may say it in words. */
function singleNumberCategories(lng: string): Set<string> {
  return new Set([...categorySamples(lng)].filter(([, s]) => s.numbers === 1).map(([c]) => c));
}

function keyProblems(source: Flat, target: Flat): string[] {
  const families = pluralFamilies(source);
  const want = new Set([...source.keys()].map((k) => split(k, families).base));
  const have = new Set([...target.keys()].map((k) => split(k, families).base));
  return [
    ...[...want].filter((k) => !have.has(k)).map((k) => `missing ${k}`),
    ...[...have].filter((k) => !want.has(k)).map((k) => `extra ${k}`),
  ];
}

function pluralProblems(lng: string, source: Flat, target: Flat): string[] {
  const families = pluralFamilies(source);
  const expected = pluralCategories(lng);
  const forms = new Map<string, string[]>();
  for (const key of target.keys()) {
    const { base, category } = split(key, families);
    if (category !== undefined) forms.set(base, [...(forms.get(base) ?? []), category]);
    else if (families.has(base)) forms.set(base, [...(forms.get(base) ?? []), '(no suffix)']);
  }
  const problems: string[] = [];
  for (const family of families) {
    const got = (forms.get(family) ?? []).sort();
    if (got.join() !== expected.join()) problems.push(`${family} has [${got.join(', ')}], want [${expected.join(', ')}]`);
  }
  return problems;
}

function placeholderProblems(lng: string, source: Flat, target: Flat): string[] {
  const families = pluralFamilies(source);
  const mayOmitCount = singleNumberCategories(lng);
  const problems: string[] = [];
  for (const [key, text] of target) {
    const { base, category } = split(key, families);
    const got = placeholders(text);
    if (category === undefined) {
      const want = placeholders(source.get(key) ?? '');
      if ([...want].sort().join() !== [...got].sort().join()) {
        problems.push(`${key} has {${[...got].join(', ')}}, want {${[...want].join(', ')}}`);
      }
      continue;
    }
    const sourceForms = [...source].filter(([k]) => split(k, families).base === base);
    const union = new Set(sourceForms.flatMap(([, t]) => [...placeholders(t)]));
    for (const name of got) if (!union.has(name)) problems.push(`${key} has {{${name}}}, which en does not`);
    for (const name of union) {
      if (name !== 'count' && !got.has(name)) problems.push(`${key} lacks {{${name}}}`);
    }
    const countInOther = placeholders(source.get(`${base}_other`) ?? '').has('count');
    if (countInOther && !mayOmitCount.has(category) && !got.has('count')) {
      problems.push(`${key} lacks {{count}} (the ${category} form covers more than one number)`);
    }
  }
  return problems;
}

function emptyProblems(flat: Flat): string[] {
  return [...flat].filter(([, text]) => text.trim() === '').map(([key]) => `${key} is empty`);
}

function interpolate(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([^},\s]+)[^}]*\}\}/g, (_, name: string) => String(params[name]));
}

describe('locales', () => {
  let resources: Resource;
  const flat = new Map<string, Flat>();

  before(() => {
    resources = loadResources();
    for (const lng of LANGUAGES) flat.set(lng, flatten(resources[lng] as Record<string, unknown>));
  });

  const jsonFiles = (lng: string) =>
    fs
      .readdirSync(path.join(LOCALES_DIR, lng))
      .filter((f) => f.endsWith('.json'))
      .sort();

  it('When the locales folder is listed, then it holds exactly the supported languages', () => {
    const dirs = fs
      .readdirSync(LOCALES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(dirs).to.deep.equal([...LANGUAGES].sort());
    expect(jsonFiles(SOURCE)).to.have.length.above(0);
  });

  it('When Intl is asked for plural categories, then it knows the CLDR ones for every language', () => {
    expect(pluralCategories('en')).to.deep.equal(['one', 'other']);
    expect(pluralCategories('ar')).to.deep.equal(['few', 'many', 'one', 'other', 'two', 'zero']);
    expect(pluralCategories('uk')).to.deep.equal(['few', 'many', 'one', 'other']);
  });

  for (const lng of LANGUAGES) {
    describe(lng, () => {
      it(`When ${lng} is read, then every value is a string or a nested object`, () => {
        const problems: string[] = [];
        flatten(resources[lng] as Record<string, unknown>, problems);
        expect(problems).to.deep.equal([]);
      });

      if (lng !== SOURCE) it(`When ${lng} is listed, then it has the same files as en`, () => {
        expect(jsonFiles(lng)).to.deep.equal(jsonFiles(SOURCE));
      });

      if (lng !== SOURCE) it(`When ${lng} is compared with en, then it has the same keys once plural suffixes are set aside`, () => {
        expect(keyProblems(flat.get(SOURCE)!, flat.get(lng)!)).to.deep.equal([]);
      });

      it(`When ${lng} has a plural family, then it has exactly the CLDR forms of ${lng}`, () => {
        expect(pluralProblems(lng, flat.get(SOURCE)!, flat.get(lng)!)).to.deep.equal([]);
      });

      if (lng !== SOURCE) it(`When the ${lng} texts are compared with en, then they have the same {{placeholders}}`, () => {
        expect(placeholderProblems(lng, flat.get(SOURCE)!, flat.get(lng)!)).to.deep.equal([]);
      });

      it(`When ${lng} is read, then no value is empty or only whitespace`, () => {
        expect(emptyProblems(flat.get(lng)!)).to.deep.equal([]);
      });

      it(`When i18next translates a plural family in ${lng}, then each count gets the form of its category`, () => {
        const t = getI18n().getFixedT(lng);
        const source = flat.get(SOURCE)!;
        const families = pluralFamilies(source);
        const samples = categorySamples(lng);
        for (const family of families) {
          const [ns, key] = family.split(':') as [string, string];
          for (const [category, { sample }] of samples) {
            const template = flat.get(lng)!.get(`${family}_${category}`);
            expect(template, `${family}_${category}`).to.be.a('string');
            const params: Record<string, unknown> = { count: sample };
            for (const name of placeholders(template!)) if (name !== 'count') params[name] = `<${name}>`;
            expect(t(`${ns}:${key}`, params), `${family} with count ${sample}`).to.equal(interpolate(template!, params));
          }
        }
      });
    });
  }

  describe('i18next plural choice', () => {
    const forms = (lng: string, key: string, counts: number[]) => {
      const t = getI18n().getFixedT(lng);
      return counts.map((count) => t(key, { count }));
    };
    const form = (lng: string, key: string, category: string, count: number) =>
      interpolate(flat.get(lng)!.get(`${key}_${category}`)!, { count });

    it('When Arabic orders are counted 0, 1, 2, 3, 11 and 100, then six different forms come back', () => {
      const counts = [0, 1, 2, 3, 11, 100];
      const got = forms('ar', 'common:orders', counts);
      expect(new Set(got).size).to.equal(6);
      const categories = ['zero', 'one', 'two', 'few', 'many', 'other'];
      expect(got).to.deep.equal(counts.map((n, i) => form('ar', 'common:orders', categories[i]!, n)));
    });

    it('When Ukrainian orders and screenshots are counted 1, 3, 5, 21 and 1.5, then they get one, few, many, one and other', () => {
      for (const key of ['common:orders', 'common:screenshots']) {
        const counts = [1, 3, 5, 21, 1.5];
        const categories = ['one', 'few', 'many', 'one', 'other'];
        expect(forms('uk', key, counts)).to.deep.equal(counts.map((n, i) => form('uk', key, categories[i]!, n)));
      }
      const screenshots = ['one', 'few', 'many', 'other'].map((c) => flat.get('uk')!.get(`common:screenshots_${c}`));
      expect(new Set(screenshots).size).to.equal(4);
    });

    it('When English orders are counted 1 and 2, then singular and plural come back', () => {
      expect(forms('en', 'common:orders', [1, 2])).to.deep.equal(['1 order', '2 orders']);
    });
  });

  describe('the checks themselves', () => {
    const copy = (lng: string) => structuredClone(resources[lng]) as Record<string, Record<string, unknown>>;

    it('When a key is removed from a copy of Arabic, then the key check reports it', () => {
      const ar = copy('ar');
      delete (ar.common!.nav as Record<string, unknown>).logout;
      expect(keyProblems(flat.get(SOURCE)!, flatten(ar))).to.deep.equal(['missing common:nav.logout']);
    });

    it('When a plural form is removed from a copy of Ukrainian, then the plural check reports it', () => {
      const uk = copy('uk');
      delete uk.common!.orders_many;
      expect(pluralProblems('uk', flat.get(SOURCE)!, flatten(uk))).to.have.length(1);
      expect(keyProblems(flat.get(SOURCE)!, flatten(uk))).to.deep.equal([]);
    });

    it('When a placeholder is dropped or renamed in a copy, then the placeholder check reports it', () => {
      const ar = copy('ar');
      (ar.emails!.ticketLink as Record<string, unknown>).subject = 'رابط تذكرتك';
      ar.common!.orders_few = '{{total}} طلبات';
      const uk = copy('uk');
      uk.common!.orders_one = 'одне замовлення';
      expect(placeholderProblems('ar', flat.get(SOURCE)!, flatten(ar))).to.have.members([
        'emails:ticketLink.subject has {}, want {number}',
        'common:orders_few has {{total}}, which en does not',
        'common:orders_few lacks {{count}} (the few form covers more than one number)',
      ]);
      expect(placeholderProblems('uk', flat.get(SOURCE)!, flatten(uk))).to.have.length(1);
    });

    it('When a value is blanked in a copy, then the empty check reports it', () => {
      const uk = copy('uk');
      (uk.auth!.login as Record<string, unknown>).title = '  ';
      expect(emptyProblems(flatten(uk))).to.deep.equal(['auth:login.title is empty']);
    });
  });
});
