import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

// One stylesheet serves both directions, so it may only use logical properties.
const css = fs.readFileSync(path.join(import.meta.dirname, '../../../server/web/static/app.css'), 'utf8');
const PHYSICAL = [
  /(?:margin|padding|border|inset)-(?:left|right|top|bottom)\b/,
  /(?:^|[\s;{])(?:left|right|top|bottom)\s*:/,
  /\bfloat\s*:\s*(?:left|right)/,
  /\btext-align\s*:\s*(?:left|right)/,
  /\bclear\s*:\s*(?:left|right)/,
  /(?:^|[\s;{])(?:width|height|min-width|max-width|min-height|max-height)\s*:/,
  /overflow-[xy]\s*:/,
  /border-(?:top|bottom)-(?:left|right)-radius/,
];

describe('stylesheet', () => {
  const rules = css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/@media[^{]*\{/g, '{');
  for (const pattern of PHYSICAL) {
    it(`When the stylesheet is read, then it has no physical property like ${pattern.source}`, () => {
      expect(rules).to.not.match(pattern);
    });
  }
});
