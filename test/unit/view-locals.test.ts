import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import ejs from 'ejs';
import { VIEWS_DIR } from '../../server/paths';
import { VIEW_LOCALS, escapeView } from '../../server/web/view-options';
import { viewFiles, viewNames } from '../support/view-names';

const views = viewFiles(VIEWS_DIR).filter((f) => !f.includes(`${path.sep}emails${path.sep}`));

describe('view locals', () => {
  it('When every page view is parsed, then the names they read are exactly VIEW_LOCALS', () => {
    expect(views, 'no page views found: every loop here would pass on nothing').to.not.have.lengthOf(0);
    const read = new Set<string>();
    for (const file of views) for (const name of viewNames(file).free) read.add(name);
    expect([...read].sort(), 'add a new name to VIEW_LOCALS (server/web/view-options.ts); drop one no view reads').to.deep.equal([...VIEW_LOCALS].sort());
  });

  it('When a view declares a name with const or let at its top, then that name is not also a local (it would be declared twice)', () => {
    expect(views, 'no page views found: this loop would pass on nothing').to.not.have.lengthOf(0);
    for (const file of views) {
      const clash = [...viewNames(file).topLexical].filter((n) => VIEW_LOCALS.includes(n));
      expect(clash, `${path.basename(file)}: use var, or another name`).to.deep.equal([]);
    }
  });

  it('When the analysis meets a view, then locals, parameters, nested declarations and globals are told apart', () => {
    const names = viewNames(path.join(import.meta.dirname, 'fixtures', 'locals-sample.ejs'));
    expect([...names.free].sort()).to.deep.equal(['items', 'missing', 't', 'title']);
    expect([...names.topLexical]).to.deep.equal(['total', 'later']);
  });

  it('When values are escaped, then the result is byte for byte what EJS itself makes', () => {
    for (const value of ['plain', '<script>alert("x")</script>', "it's & <b>", '', 0, null, undefined, 'عربي & "قول"']) {
      expect(escapeView(value)).to.equal(ejs.escapeXML(value as string));
    }
  });
});

describe('view includes', () => {
  it('When a page view includes another, then it names it from the views folder, so no include asks the file system', () => {
    expect(views, 'no page views found: this loop would pass on nothing').to.not.have.lengthOf(0);
    for (const file of views) {
      const relative = [...(fs.readFileSync(file, 'utf8').matchAll(/include\(\s*'([^']+)'/g))].map((m) => m[1]!).filter((p) => !p.startsWith('/'));
      expect(relative, path.basename(file)).to.deep.equal([]);
    }
  });
});
