// Every rule, checklist item and flag the policy can answer has a translation.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { getI18n } from '../../../server/i18n/index';
import { LANGUAGES } from '../../../server/domain/ticket';
import { REJECT_REASONS } from '../../../server/domain/policy/reject-reasons';

const dir = path.join(import.meta.dirname, '../../../server/domain/policy');
const source = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
const quoted = (re: RegExp) => [...source.matchAll(re)].map((m) => m[1]!);

describe('policy keys are translated', () => {
  const rules = quoted(/rule: '([\w.]+)'/g);
  const items = quoted(/item\('(\w+)'/g);
  const flags = quoted(/'(urgent|service_failure|outside_window|already_refunded|chargeback|overlapping|order_unknown)'/g);

  it('When the policy source is read, then rule keys, checklist items and flags are found (so the test can fail)', () => {
    expect(rules.length).to.be.greaterThan(20);
    expect(items.length).to.be.greaterThan(12);
    expect(flags).to.have.lengthOf.above(0);
  });

  for (const lng of LANGUAGES) {
    it(`When a ${lng} page shows the policy's words, then each has a translation`, () => {
      // The language's own text, not the English fallback.
      const own = (key: string) => getI18n().getResource(lng, 'policy', key) as unknown;
      const missing = [
        ...rules.map((k) => `rule.${k}`),
        ...items.map((k) => `checklist.${k}`),
        ...flags.map((k) => `flag.${k}`),
        ...REJECT_REASONS.map((k) => `rejectReason.${k}`),
      ].filter(
        (k) => typeof own(k) !== 'string',
      );
      expect(missing).to.deep.equal([]);
    });
  }
});
